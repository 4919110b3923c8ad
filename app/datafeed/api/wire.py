"""The datafeed's domain objects in wire form, compiled from the schemas (`schemas.serializers`).

``symbol_info`` reads a `SymbolSpec` (whose model parameters the wire never shows); ``bar``
reads a `Bar` as it is, its fields already being the wire types, so it costs what a
hand-written dict display costs on the 10,000-bar path.
"""

from __future__ import annotations

from app.market.catalogue import SymbolSpec
from app.market.model import Bar
from schemas.datafeed import BarSchema, SymbolInfoSchema
from schemas.serializers import dict_serializer

symbol_info = dict_serializer(SymbolInfoSchema, SymbolSpec, internal=None)
bar = dict_serializer(BarSchema, Bar, typed=True)
