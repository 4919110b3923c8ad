from enum import StrEnum


class UdfQuotesS(StrEnum):
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
