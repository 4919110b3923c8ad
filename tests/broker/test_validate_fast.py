"""``validate`` decides plain orders by one comparison chain (app/broker/domain/requests.py):
for every request it answers exactly what the field-by-field checks (``checked``) answer, the
same ValidOrder or the same 422 naming the same field."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from app.broker.domain.enums import OrderType, Side, StopType
from app.broker.domain.errors import InvalidOrder
from app.broker.domain.requests import MAX_MAGNITUDE, OrderRequest, QtyCap, ValidOrder, checked, validate
from app.broker.domain.terms import Duration, OrderTerms
from app.market import default_catalogue

CATALOGUE = default_catalogue()
CAPS = (QtyCap(), QtyCap(1000.0), QtyCap(MAX_MAGNITUDE, {"AAPL": 5.0}))

numbers = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, 2.0, 5.0, 6.0, 1000.0, 1001.0, 1.5, 0.5, 1e-9, 1e12, 1e12 + 1, 2e12,
                     -1.0, math.inf, -math.inf, math.nan, 150.25, 150.255, 0.1 + 0.2, 1.005, 1]),
    st.floats(min_value=-10.0, max_value=1e13),
    st.floats(),
    st.integers(min_value=-3, max_value=10**13),
)
prices = st.one_of(numbers, st.integers(1, 10**6).map(lambda cents: cents / 100))
OPTIONAL = ("stop_price", "take_profit", "stop_loss", "guaranteed_stop", "trailing_stop_pips", "seen_price",
            "current_quotes", "duration")


@st.composite
def requests(draw: st.DrawFn) -> OrderRequest:
    """Mostly plain orders (what the chain takes), with none or one or two of the other fields set."""
    extra = draw(st.lists(st.sampled_from(OPTIONAL), max_size=2, unique=True)
                 | st.just([]) | st.just([]))
    value = {name: draw(prices) for name in extra}
    if "current_quotes" in value:
        value["current_quotes"] = (value["current_quotes"], draw(prices))
    if "duration" in value:
        value["duration"] = Duration(draw(st.sampled_from(["GTC", "DAY", "IOC", "FOK"])))
    terms = OrderTerms(
        draw(numbers | st.sampled_from([1.0, 3.0, 100.0, 5.0, 6.0])), draw(st.none() | prices),
        value.get("stop_price"), value.get("take_profit"), value.get("stop_loss"), value.get("guaranteed_stop"),
        value.get("trailing_stop_pips"), draw(st.none() | st.sampled_from(list(StopType))))
    symbol = draw(st.sampled_from(["AAPL", "aapl", "MSFT", "NOPE", ""]))
    return OrderRequest(symbol, draw(st.sampled_from(list(OrderType))), draw(st.sampled_from(list(Side))),
                        terms, value.get("seen_price"),
                        value.get("current_quotes"), value.get("duration"))


def outcome(check: object, request: OrderRequest, cap: QtyCap) -> ValidOrder | tuple[str, str, str]:
    try:
        return check(request, CATALOGUE, cap, 0)  # type: ignore[operator,no-any-return]
    except InvalidOrder as exc:
        return (exc.field, exc.message, repr(exc.value))


def same(a: ValidOrder | tuple[str, str, str], b: ValidOrder | tuple[str, str, str]) -> bool:
    """Equal, with the floats compared by their bits (``1.0`` is not ``1``, ``-0.0`` not ``0.0``)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return a == b
    fields = ("qty", "limit_price", "stop_price", "take_profit", "stop_loss", "guaranteed_stop",
              "trailing_stop_pips", "stop_type")
    return ((a.spec, a.type, a.side, a.duration) == (b.spec, b.type, b.side, b.duration)
            and all(repr(getattr(a.terms, f)) == repr(getattr(b.terms, f)) for f in fields)
            and all(type(getattr(a.terms, f)) is type(getattr(b.terms, f)) for f in fields))


@settings(max_examples=3000, deadline=None)
@given(requests(), st.sampled_from(CAPS))
def test_validate_answers_what_the_checks_answer(request: OrderRequest, cap: QtyCap) -> None:
    fast, slow = outcome(validate, request, cap), outcome(checked, request, cap)
    assert same(fast, slow), (request, fast, slow)


def test_the_plain_orders_take_the_chain_and_keep_their_terms() -> None:
    """The case the chain is for: a whole quantity with a limit on the tick is accepted with the
    request's own terms (nothing rebuilt); off the tick, a 422 on limitPrice, as the checks say."""
    terms = OrderTerms(1.0, 1.5)
    request = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, terms)
    valid = validate(request, CATALOGUE)
    assert valid.terms is terms
    assert (valid.symbol, valid.type, valid.side, valid.duration) == ("AAPL", OrderType.LIMIT, Side.BUY, None)
    assert checked(request, CATALOGUE).terms == terms
    off_tick = OrderRequest("AAPL", OrderType.LIMIT, Side.BUY, OrderTerms(1.0, 1.505))
    assert outcome(validate, off_tick, QtyCap()) == outcome(checked, off_tick, QtyCap())
    assert outcome(validate, off_tick, QtyCap())[0] == "limitPrice"  # type: ignore[index]
    market_order = OrderRequest("msft", OrderType.MARKET, Side.SELL, OrderTerms(3.0))
    assert validate(market_order, CATALOGUE).symbol == "MSFT"
