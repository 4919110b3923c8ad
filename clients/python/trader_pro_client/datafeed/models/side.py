from enum import IntEnum


class Side(IntEnum):
    BUY = 1
    SELL = -1

    def __str__(self) -> str:
        return str(self.value)
