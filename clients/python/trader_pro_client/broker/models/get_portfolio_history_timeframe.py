from enum import StrEnum


class GetPortfolioHistoryTimeframe(StrEnum):
    VALUE_0 = "1Min"
    VALUE_1 = "5Min"
    VALUE_2 = "15Min"
    VALUE_3 = "1H"
    VALUE_4 = "1D"

    def __str__(self) -> str:
        return str(self.value)
