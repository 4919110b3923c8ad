from enum import StrEnum


class UdfSymbolInfoDataStatus(StrEnum):
    DELAYED_STREAMING = "delayed_streaming"
    ENDOFDAY = "endofday"
    STREAMING = "streaming"

    def __str__(self) -> str:
        return str(self.value)
