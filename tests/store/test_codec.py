"""The generic codec: any event-shaped dataclass survives JSON exactly (hypothesis)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import ClassVar

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.store.codec import CHUNK, Codec, CodecError


class Colour(enum.IntEnum):
    RED = 1
    BLUE = -1


class Mode(enum.Enum):
    FAST = "fast"
    SLOW = "slow"


@dataclass(frozen=True, slots=True)
class Leg:
    price: float
    colour: Colour | None


@dataclass(frozen=True, slots=True)
class Other:
    note: str


@dataclass(frozen=True, slots=True)
class Placed:
    route: ClassVar[str] = "orders"

    id: str
    qty: float
    count: int
    flag: bool
    colour: Colour
    mode: Mode
    limit: float | None
    legs: tuple[Leg, ...]
    pair: tuple[str, int]
    child: Leg | Other | None
    levels: dict[str, float]
    by_colour: dict[Colour, tuple[int, ...]]
    tags: frozenset[str]
    _cache: bytes | None = field(default=None, init=False, compare=False)


finite = st.floats(allow_nan=False, allow_infinity=False)
text = st.text(max_size=8)
legs = st.builds(Leg, price=finite, colour=st.none() | st.sampled_from(Colour))
placed = st.builds(
    Placed, id=text, qty=finite, count=st.integers(-(2**63), 2**63 - 1), flag=st.booleans(),
    colour=st.sampled_from(Colour), mode=st.sampled_from(Mode), limit=st.none() | finite,
    legs=st.lists(legs, max_size=3).map(tuple), pair=st.tuples(text, st.integers(0, 10)),
    child=st.none() | legs | st.builds(Other, note=text),
    levels=st.dictionaries(text, finite, max_size=3),
    by_colour=st.dictionaries(st.sampled_from(Colour), st.lists(st.integers(0, 9), max_size=3).map(tuple)),
    tags=st.frozensets(text, max_size=3),
)
CODEC = Codec([Placed, Leg])


@given(placed)
def test_every_value_survives_a_round_trip_through_json(value: Placed) -> None:
    kind = CODEC.kind(value)
    back = CODEC.loads(kind, CODEC.dumps(value))
    assert back == value
    assert type(back.colour) is Colour and type(back.mode) is Mode
    assert all(type(leg) is Leg for leg in back.legs)
    assert type(back.qty) is float


def test_the_stored_form_is_plain_json_with_enums_as_values_and_caches_left_out() -> None:
    value = Placed("ORDER-1", 1.0, 2, True, Colour.BLUE, Mode.SLOW, None, (Leg(1.5, None),), ("a", 1),
                   Other("x"), {"AAPL": 2.0}, {Colour.RED: (1,)}, frozenset({"b", "a"}))
    object.__setattr__(value, "_cache", b"cached")
    assert orjson.loads(CODEC.dumps(value)) == {
        "id": "ORDER-1", "qty": 1.0, "count": 2, "flag": True, "colour": -1, "mode": "slow", "limit": None,
        "legs": [{"price": 1.5, "colour": None}], "pair": ["a", 1], "child": {"$kind": "Other", "note": "x"},
        "levels": {"AAPL": 2.0}, "by_colour": {"1": [1]}, "tags": ["a", "b"]}


@dataclass(frozen=True, slots=True)
class Terms:
    qty: float
    colour: Colour | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """Not native (a flat group, a field outside ``__init__``), but orjson can write it through
    a compiled display."""

    id: str
    size: Terms = field(metadata={"flat": True})
    _cache: bytes | None = field(default=None, init=False, compare=False)


@dataclass(frozen=True, slots=True)
class Sheet:
    lines: tuple[Line, ...]
    more: list[Line]
    legs: tuple[Leg, ...]
    total: float


sizes = st.builds(Terms, qty=finite, colour=st.none() | st.sampled_from(Colour))
sheets = st.builds(
    Sheet,
    lines=st.lists(st.builds(Line, id=text, size=sizes), max_size=3).map(tuple),
    more=st.lists(st.builds(Line, id=text, size=st.builds(Terms, qty=finite)), max_size=2),
    legs=st.lists(legs, max_size=2).map(tuple), total=finite,
)
SHEETS = Codec([Sheet, Line, Terms, Leg])


@given(sheets)
def test_sequences_of_displayed_dataclasses_are_written_by_orjson_as_the_codec_would(value: Sheet) -> None:
    assert SHEETS.dumps(value) == orjson.dumps(SHEETS.to_data(value))
    assert SHEETS._native[Sheet] is not None, "written through a display, not to_data"
    assert SHEETS.loads("Sheet", SHEETS.dumps(value)) == value


@pytest.mark.parametrize("count", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3])
def test_a_long_sequence_is_written_in_chunks_that_join_into_the_same_json(count: int) -> None:
    lines = tuple(Line(f"L{i}", Terms(i / 4, Colour.RED if i % 2 else None)) for i in range(count))
    value = Sheet(lines, list(lines[:count // 2]), (Leg(1.5, None),), 2.0)
    assert SHEETS.dumps(value) == orjson.dumps(SHEETS.to_data(value))
    assert SHEETS.loads("Sheet", SHEETS.dumps(value)) == value


@given(legs)
def test_what_orjson_writes_natively_is_what_the_codec_would_write(value: Leg) -> None:
    assert CODEC.dumps(value) == orjson.dumps(CODEC.to_data(value))
    assert CODEC.loads("Leg", CODEC.dumps(value)) == value


def test_unknown_kinds_and_payloads_that_do_not_fit_are_codec_errors() -> None:
    with pytest.raises(CodecError, match="unknown kind 'Nope'"):
        CODEC.loads("Nope", b"{}")
    with pytest.raises(CodecError, match="stored Leg does not fit its class"):
        CODEC.loads("Leg", b'{"price": 1.0}')
    with pytest.raises(CodecError, match="is not registered"):
        CODEC.kind(Colour.RED)


def test_two_classes_of_one_name_cannot_share_a_codec() -> None:
    @dataclass(frozen=True)
    class Leg:  # noqa: F811 - the clash is the point
        x: int

    with pytest.raises(CodecError, match="two classes are named Leg"):
        Codec([globals()["Leg"], Leg])


@dataclass(frozen=True, slots=True)
class Request:
    symbol: str
    terms: Terms = field(metadata={"flat": True})
    mode: Mode = Mode.FAST


@dataclass(frozen=True, slots=True)
class Bound:
    key: str
    request: Request


@given(st.text(), st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([None, *Colour]),
       st.sampled_from(list(Mode)))
def test_a_flat_group_is_written_in_its_place_and_read_back(
        symbol: str, qty: float, colour: Colour | None, mode: Mode) -> None:
    codec = Codec([Bound])
    value = Bound("k", Request(symbol, Terms(qty, colour), mode))
    data = codec.to_data(value)
    assert data == {"key": "k", "request": {"symbol": symbol, "qty": qty,
                                            "colour": None if colour is None else colour.value, "mode": mode.value}}
    assert codec.dumps(value) == orjson.dumps(data)  # the compiled display leaves the values to orjson
    assert codec.loads("Bound", codec.dumps(value)) == value
    assert codec.from_data("Bound", {"key": "k", "request": {"symbol": symbol, "qty": qty}}) == Bound(
        "k", Request(symbol, Terms(qty)))
