from enum import StrEnum


class DurationInfoValue(StrEnum):
    DAY = "DAY"
    FOK = "FOK"
    GTC = "GTC"
    GTD = "GTD"
    IOC = "IOC"

    def __str__(self) -> str:
        return str(self.value)
