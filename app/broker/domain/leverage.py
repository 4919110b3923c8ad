"""Per-symbol leverage with the original's texts (CONTRACT §7.9); it affects nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from app.broker.domain.errors import BadRequest

DEFAULT_LEVERAGE = 10.0
MIN_LEVERAGE = 1.0
MAX_LEVERAGE = 100.0
LEVERAGE_STEP = 1.0


@dataclass(frozen=True, slots=True)
class LeverageInfo:
    title: str
    leverage: float
    min: float
    max: float
    step: float


@dataclass(frozen=True, slots=True)
class LeveragePreview:
    infos: tuple[str, ...] | None
    warnings: tuple[str, ...] | None
    errors: tuple[str, ...] | None


def range_error(leverage: float) -> str | None:
    if not leverage >= MIN_LEVERAGE:
        return f"Leverage must be at least {MIN_LEVERAGE}"
    if leverage > MAX_LEVERAGE:
        return f"Leverage cannot exceed {MAX_LEVERAGE}"
    return None


def info(symbol: str, stored: float | None) -> LeverageInfo:
    value = DEFAULT_LEVERAGE if stored is None else stored
    return LeverageInfo(f"Leverage for {symbol}", value, MIN_LEVERAGE, MAX_LEVERAGE, LEVERAGE_STEP)


def checked(leverage: float) -> float:
    """The value to store, or BadRequest (400) with the original's text."""
    error = range_error(leverage)
    if error is not None:
        raise BadRequest(error)
    return float(leverage)


def preview(leverage: float) -> LeveragePreview:
    error = range_error(leverage)
    if error is not None:
        return LeveragePreview(None, None, (error,))
    lev = float(leverage)
    second = ("No leverage applied (1:1 ratio)" if lev == 1.0
              else f"With {lev}x leverage, a $1,000 investment controls ${1000 * lev:.2f} in assets")
    infos = (f"Margin requirement: {100 / lev:.2f}%", second)
    warnings: tuple[str, ...] | None = None
    if lev > 50:
        warnings = (f"High leverage ({lev}x) significantly increases risk. "
                    "You may lose more than your initial investment.",)
    elif lev > 20:
        warnings = (f"Moderate leverage ({lev}x) increases risk. Ensure adequate risk management.",)
    return LeveragePreview(infos, warnings, None)
