from enum import IntEnum


class StopType(IntEnum):
    STOP_LOSS = 0
    TRAILING_STOP = 1
    GUARANTEED_STOP = 2

    def __str__(self) -> str:
        return str(self.value)
