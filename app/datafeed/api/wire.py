"""The datafeed's domain objects in wire form, compiled from the schemas (`schemas.serializers`).

``symbol_info`` reads a `SymbolSpec` (whose model parameters the wire never shows); ``bar``
reads a `Bar` as it is, its fields already being the wire types, so it costs what a
hand-written dict display costs on the 10,000-bar path; ``bar_rows`` turns the columns of an
intraday series (time, open, high, low, close, volume: `Bar`'s order) into those dicts.
"""

from __future__ import annotations

from app.market.catalogue import SymbolSpec
from app.market.model import Bar
from schemas.datafeed import BarSchema, SymbolInfoSchema
from schemas.serializers import columns_serializer, dict_serializer

symbol_info = dict_serializer(SymbolInfoSchema, SymbolSpec, internal=None)
bar = dict_serializer(BarSchema, Bar, typed=True)
bar_rows = columns_serializer(BarSchema, Bar)
