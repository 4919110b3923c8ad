from enum import IntEnum


class ParentType(IntEnum):
    ORDER = 1
    POSITION = 2

    def __str__(self) -> str:
        return str(self.value)
