"""The simulated market: symbol catalogue, deterministic price paths, bars, quotes (pure, no I/O)."""

from app.market.catalogue import (
    SUPPORTED_RESOLUTIONS,
    Catalogue,
    SymbolSpec,
    default_catalogue,
    load_catalogue,
)
from app.market.model import Bar, Clock, Extremes, Market, Quote, Top, wall_clock_ms
from app.market.timegrid import Resolution, parse_resolution

__all__ = [
    "SUPPORTED_RESOLUTIONS",
    "Bar",
    "Catalogue",
    "Clock",
    "Extremes",
    "Top",
    "Market",
    "Quote",
    "Resolution",
    "SymbolSpec",
    "default_catalogue",
    "load_catalogue",
    "parse_resolution",
    "wall_clock_ms",
]
