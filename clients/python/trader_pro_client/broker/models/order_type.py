from enum import IntEnum


class OrderType(IntEnum):
    LIMIT = 1
    MARKET = 2
    STOP = 3
    STOP_LIMIT = 4

    def __str__(self) -> str:
        return str(self.value)
