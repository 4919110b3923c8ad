from enum import StrEnum


class UdfHistoryS(StrEnum):
    NO_DATA = "no_data"
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
