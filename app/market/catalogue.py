"""The symbol catalogue: what the datafeed advertises and what the broker validates prices against.

A symbol carries both its wire description (the SymbolInfo fields, CONTRACT §3.2, in wire order)
and the parameters of its simulated price path, so one file describes a symbol completely.
The built-in catalogue is ``symbols.json`` beside this module; ``load_catalogue`` reads another
JSON or YAML file of the same shape (a list of symbols, or ``{"symbols": [...]}``); fields with
a default below may be omitted there.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, cast

import yaml

from app.market.timegrid import SUPPORTED_RESOLUTIONS

_BUILTIN = Path(__file__).with_name("symbols.json")
_ON_TICK_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class SymbolSpec:
    """One tradable symbol.

    Model parameters: ``volatility`` is annualised (365-day year, the market trades every day);
    ``drift`` is the annualised drift of the level the price reverts to, counted from
    2025-01-01 (0.0 keeps the price centred on ``base_price`` forever); ``mean_reversion`` is
    the fraction of the log-distance to that level removed each day. ``spread_ticks`` is the
    constant bid/ask spread in ticks (>= 1), ``base_volume`` the typical daily volume.
    """

    name: str
    description: str
    type: str
    session: str
    timezone: str
    ticker: str
    exchange: str
    listed_exchange: str
    format: str
    pricescale: int
    minmov: int
    has_intraday: bool
    has_daily: bool
    supported_resolutions: tuple[str, ...]
    volume_precision: int
    data_status: str
    base_price: float
    volatility: float
    drift: float
    mean_reversion: float
    spread_ticks: int
    base_volume: int

    @property
    def tick_size(self) -> float:
        return self.minmov / self.pricescale

    def ticks_to_price(self, ticks: int) -> float:
        """The one conversion every price goes through, so equal ticks give identical floats."""
        return (ticks * self.minmov) / self.pricescale

    def price_to_ticks(self, price: float) -> int:
        return round(price * self.pricescale / self.minmov)

    def round_price(self, price: float) -> float:
        return self.ticks_to_price(self.price_to_ticks(price))

    def tick_price(self, price: float) -> float | None:
        """``round_price(price)`` when ``price`` is on a tick (``is_on_tick``), else None: both in
        one pass over ``ticks``, for the plain order's check (one call on every order placed)."""
        ticks = price * self.pricescale / self.minmov
        if not math.isfinite(ticks):
            return None
        whole = round(ticks)
        if abs(ticks - whole) <= _ON_TICK_TOLERANCE * max(1.0, abs(ticks) * 1e-3):
            return (whole * self.minmov) / self.pricescale
        return None

    def is_on_tick(self, price: float) -> bool:
        """Tolerant to float noise such as ``0.1 + 0.2``, so that a client's on-tick price passes."""
        if not math.isfinite(price):
            return False
        ticks = price * self.pricescale / self.minmov
        if not math.isfinite(ticks):
            return False
        return abs(ticks - round(ticks)) <= _ON_TICK_TOLERANCE * max(1.0, abs(ticks) * 1e-3)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Symbols in catalogue order (search results keep that order)."""

    symbols: tuple[SymbolSpec, ...]
    _index: dict[str, SymbolSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [s.name for s in self.symbols]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate symbol names: {', '.join(duplicates)}")
        index: dict[str, SymbolSpec] = {}
        for spec in self.symbols:
            index.setdefault(spec.name.lower(), spec)
            index.setdefault(spec.ticker.lower(), spec)
        object.__setattr__(self, "_index", index)

    def resolve(self, text: str) -> SymbolSpec | None:
        """CONTRACT §8.2: first symbol whose name or ticker equals the text, case-insensitively
        (an index in catalogue order: resolving is on every order placement)."""
        return self._index.get(text.lower())

    def search(
        self, user_input: str, exchange: str = "", symbol_type: str = "", max_results: int = 50
    ) -> list[SymbolSpec]:
        """CONTRACT §8.3 (the caller rejects a negative ``max_results``)."""
        needle = user_input.strip().lower()
        found = [
            spec
            for spec in self.symbols
            if (
                not needle
                or needle in spec.name.lower()
                or needle in spec.description.lower()
                or needle in spec.ticker.lower()
            )
            and (not exchange or spec.exchange.lower() == exchange.lower())
            and (not symbol_type or spec.type.lower() == symbol_type.lower())
        ]
        return found[:max_results]

    def get(self, name: str) -> SymbolSpec:
        for spec in self.symbols:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def exchanges(self) -> tuple[str, ...]:
        """Distinct exchanges in catalogue order, for the datafeed's /config."""
        return tuple(dict.fromkeys(s.exchange for s in self.symbols))

    def types(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.type for s in self.symbols))


def _defaults(raw: dict[str, Any]) -> dict[str, Any]:
    name = raw.get("name")
    exchange = raw.get("exchange")
    return {
        "session": "24x7",
        "timezone": "Etc/UTC",
        "ticker": name,
        "listed_exchange": exchange,
        "format": "price",
        "minmov": 1,
        "has_intraday": True,
        "has_daily": True,
        "supported_resolutions": SUPPORTED_RESOLUTIONS,
        "volume_precision": 0,
        "data_status": "streaming",
        "drift": 0.0,
        "mean_reversion": 0.02,
        "spread_ticks": 1,
    }


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "bool": (bool,),
    "float": (int, float),
}


def _check_type(where: str, key: str, value: Any, kind: str) -> Any:
    if kind == "tuple[str, ...]":
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{where}: {key} must be a list of strings")
        return tuple(value)
    expected = _TYPES[kind]
    if isinstance(value, bool) and kind != "bool" or not isinstance(value, expected):
        raise ValueError(f"{where}: {key} must be of type {kind}, got {value!r}")
    return float(cast(float, value)) if kind == "float" else value


def spec_from_mapping(raw: Any, where: str = "symbol") -> SymbolSpec:
    """Build a SymbolSpec from file content, with a message naming the symbol and field."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected an object, got {type(raw).__name__}")
    where = f"symbol {raw.get('name', where)!r}"
    known = {f.name: str(f.type) for f in fields(SymbolSpec)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise ValueError(f"{where}: unknown fields {', '.join(unknown)}")
    merged = {**_defaults(raw), **raw}
    missing = [k for k in known if merged.get(k) is None]
    if missing:
        raise ValueError(f"{where}: missing fields {', '.join(missing)}")
    values = {k: _check_type(where, k, merged[k], kind) for k, kind in known.items()}
    spec = SymbolSpec(**values)
    _validate(where, spec)
    return spec


def _validate(where: str, spec: SymbolSpec) -> None:
    problems = []
    if not spec.name:
        problems.append("name must not be empty")
    if spec.pricescale <= 0 or spec.minmov <= 0:
        problems.append("pricescale and minmov must be positive")
    if not (math.isfinite(spec.base_price) and spec.base_price > 0):
        problems.append("base_price must be positive")
    if not (math.isfinite(spec.volatility) and 0 <= spec.volatility <= 5):
        problems.append("volatility must be in [0, 5]")
    if not (math.isfinite(spec.drift) and abs(spec.drift) <= 1):
        problems.append("drift must be in [-1, 1]")
    if not (math.isfinite(spec.mean_reversion) and 0 < spec.mean_reversion <= 1):
        problems.append("mean_reversion must be in (0, 1]")
    if spec.spread_ticks < 1:
        problems.append("spread_ticks must be at least 1")
    if spec.base_volume < 0:
        problems.append("base_volume must not be negative")
    if spec.base_price * spec.pricescale / spec.minmov < 100 * spec.spread_ticks:
        problems.append("base_price must be at least 100 spreads")
    if spec.base_price * spec.pricescale / spec.minmov > 2**28:
        problems.append("base_price is too many ticks")
    bad = [r for r in spec.supported_resolutions if r not in SUPPORTED_RESOLUTIONS]
    if bad:
        problems.append(f"unsupported resolutions {', '.join(bad)}")
    if problems:
        raise ValueError(f"{where}: {'; '.join(problems)}")


def catalogue_from_data(data: Any) -> Catalogue:
    items = data.get("symbols") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise ValueError("a catalogue is a non-empty list of symbols or {\"symbols\": [...]}")
    return Catalogue(tuple(spec_from_mapping(item, f"symbol #{i}") for i, item in enumerate(items)))


def load_catalogue(path: str | os.PathLike[str]) -> Catalogue:
    """Read a catalogue from a .json, .yaml or .yml file; ValueError on bad content."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    suffix = file.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(text)
        elif suffix in (".yaml", ".yml"):
            data = yaml.safe_load(text)
        else:
            raise ValueError(f"{file}: catalogue must be .json, .yaml or .yml")
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{file}: not parseable: {exc}") from exc
    try:
        return catalogue_from_data(data)
    except ValueError as exc:
        raise ValueError(f"{file}: {exc}") from exc


def default_catalogue() -> Catalogue:
    return load_catalogue(_BUILTIN)
