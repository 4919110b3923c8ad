from enum import IntEnum


class OrderStatus(IntEnum):
    CANCELED = 1
    FILLED = 2
    INACTIVE = 3
    PLACING = 4
    REJECTED = 5
    WORKING = 6

    def __str__(self) -> str:
        return str(self.value)
