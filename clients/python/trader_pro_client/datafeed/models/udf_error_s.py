from enum import StrEnum


class UdfErrorS(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
