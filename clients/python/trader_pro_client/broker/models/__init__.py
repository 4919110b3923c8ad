"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_metainfo import AccountMetainfo
from .account_state import AccountState
from .api_metadata import APIMetadata
from .api_metadata_available_versions import APIMetadataAvailableVersions
from .body_edit_position_brackets import BodyEditPositionBrackets
from .body_edit_position_brackets_custom_fields_type_0 import BodyEditPositionBracketsCustomFieldsType0
from .brackets import Brackets
from .broker_config import BrokerConfig
from .broker_config_default_duration import BrokerConfigDefaultDuration
from .config_flags import ConfigFlags
from .current_quotes import CurrentQuotes
from .duration import Duration
from .duration_info import DurationInfo
from .duration_info_value import DurationInfoValue
from .duration_type import DurationType
from .execution import Execution
from .get_portfolio_history_period import GetPortfolioHistoryPeriod
from .get_portfolio_history_timeframe import GetPortfolioHistoryTimeframe
from .health_response import HealthResponse
from .http_error import HTTPError
from .http_validation_error import HTTPValidationError
from .internal_error import InternalError
from .leverage_info import LeverageInfo
from .leverage_preview_result import LeveragePreviewResult
from .leverage_range import LeverageRange
from .leverage_set_params import LeverageSetParams
from .leverage_set_params_custom_fields_type_0 import LeverageSetParamsCustomFieldsType0
from .leverage_set_result import LeverageSetResult
from .order_history import OrderHistory
from .order_preview_result import OrderPreviewResult
from .order_preview_section import OrderPreviewSection
from .order_preview_section_row import OrderPreviewSectionRow
from .order_status import OrderStatus
from .order_type import OrderType
from .parent_type import ParentType
from .place_order_result import PlaceOrderResult
from .placed_order import PlacedOrder
from .portfolio_history import PortfolioHistory
from .position import Position
from .pre_order import PreOrder
from .side import Side
from .stop_type import StopType
from .success_response import SuccessResponse
from .validation_error import ValidationError
from .validation_error_ctx import ValidationErrorCtx
from .version_info import VersionInfo

__all__ = (
    "APIMetadata",
    "APIMetadataAvailableVersions",
    "Account",
    "AccountMetainfo",
    "AccountState",
    "BodyEditPositionBrackets",
    "BodyEditPositionBracketsCustomFieldsType0",
    "Brackets",
    "BrokerConfig",
    "BrokerConfigDefaultDuration",
    "ConfigFlags",
    "CurrentQuotes",
    "Duration",
    "DurationInfo",
    "DurationInfoValue",
    "DurationType",
    "Execution",
    "GetPortfolioHistoryPeriod",
    "GetPortfolioHistoryTimeframe",
    "HTTPError",
    "HTTPValidationError",
    "HealthResponse",
    "InternalError",
    "LeverageInfo",
    "LeveragePreviewResult",
    "LeverageRange",
    "LeverageSetParams",
    "LeverageSetParamsCustomFieldsType0",
    "LeverageSetResult",
    "OrderHistory",
    "OrderPreviewResult",
    "OrderPreviewSection",
    "OrderPreviewSectionRow",
    "OrderStatus",
    "OrderType",
    "ParentType",
    "PlaceOrderResult",
    "PlacedOrder",
    "PortfolioHistory",
    "Position",
    "PreOrder",
    "Side",
    "StopType",
    "SuccessResponse",
    "ValidationError",
    "ValidationErrorCtx",
    "VersionInfo",
)
