"""The simulated market: symbol catalogue, deterministic price paths, bars, quotes (pure, no I/O)."""

from app.market.catalogue import Catalogue, SymbolSpec, default_catalogue, load_catalogue
from app.market.model import Market
from app.market.timegrid import SUPPORTED_RESOLUTIONS, Resolution, parse_resolution
from app.market.values import Bar, Clock, Extremes, Quote, Top, wall_clock_ms

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
