"""Contains all the data models used in inputs/outputs"""

from .api_metadata import APIMetadata
from .api_metadata_available_versions import APIMetadataAvailableVersions
from .bar import Bar
from .datafeed_configuration import DatafeedConfiguration
from .datafeed_symbol_type import DatafeedSymbolType
from .exchange import Exchange
from .get_bars_response import GetBarsResponse
from .get_quotes_request import GetQuotesRequest
from .health_response import HealthResponse
from .http_error import HTTPError
from .http_validation_error import HTTPValidationError
from .internal_error import InternalError
from .order_status import OrderStatus
from .order_type import OrderType
from .quote_data import QuoteData
from .quote_data_s import QuoteDataS
from .quote_data_v_type_1 import QuoteDataVType1
from .quote_values import QuoteValues
from .search_symbol_result_item import SearchSymbolResultItem
from .side import Side
from .stop_type import StopType
from .symbol_info import SymbolInfo
from .symbol_info_data_status import SymbolInfoDataStatus
from .udf_configuration import UdfConfiguration
from .udf_error import UdfError
from .udf_error_s import UdfErrorS
from .udf_history import UdfHistory
from .udf_history_s import UdfHistoryS
from .udf_quote import UdfQuote
from .udf_quote_s import UdfQuoteS
from .udf_quote_v import UdfQuoteV
from .udf_quotes import UdfQuotes
from .udf_quotes_s import UdfQuotesS
from .udf_search_item import UdfSearchItem
from .udf_symbol_info import UdfSymbolInfo
from .udf_symbol_info_data_status import UdfSymbolInfoDataStatus
from .validation_error import ValidationError
from .validation_error_ctx import ValidationErrorCtx
from .version_info import VersionInfo

__all__ = (
    "APIMetadata",
    "APIMetadataAvailableVersions",
    "Bar",
    "DatafeedConfiguration",
    "DatafeedSymbolType",
    "Exchange",
    "GetBarsResponse",
    "GetQuotesRequest",
    "HTTPError",
    "HTTPValidationError",
    "HealthResponse",
    "InternalError",
    "OrderStatus",
    "OrderType",
    "QuoteData",
    "QuoteDataS",
    "QuoteDataVType1",
    "QuoteValues",
    "SearchSymbolResultItem",
    "Side",
    "StopType",
    "SymbolInfo",
    "SymbolInfoDataStatus",
    "UdfConfiguration",
    "UdfError",
    "UdfErrorS",
    "UdfHistory",
    "UdfHistoryS",
    "UdfQuote",
    "UdfQuoteS",
    "UdfQuoteV",
    "UdfQuotes",
    "UdfQuotesS",
    "UdfSearchItem",
    "UdfSymbolInfo",
    "UdfSymbolInfoDataStatus",
    "ValidationError",
    "ValidationErrorCtx",
    "VersionInfo",
)
