from enum import StrEnum


class GetPortfolioHistoryPeriod(StrEnum):
    VALUE_0 = "1D"
    VALUE_1 = "1W"
    VALUE_2 = "1M"
    VALUE_3 = "1A"

    def __str__(self) -> str:
        return str(self.value)
