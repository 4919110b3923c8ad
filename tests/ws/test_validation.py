"""Subscription payloads: validated by the route's schema, errors name the field."""

from __future__ import annotations

import marshmallow
import pytest

from tests.ws.conftest import AccountRequest, QuotesRequest
from ws.validation import Resolver, describe


def test_resolve_drops_unknown_keys_and_builds_the_topic() -> None:
    assert Resolver().resolve("orders", AccountRequest(), {"accountId": "A", "x": [1]}) == (
        {"accountId": "A"}, 'orders:{"accountId":"A"}'
    )


def test_a_remembered_payload_gives_the_same_answer_whatever_its_key_order() -> None:
    resolver = Resolver()
    first = resolver.resolve("quotes", QuotesRequest(), {"symbols": ["B", "A"], "fast_symbols": []})
    again = resolver.resolve("quotes", QuotesRequest(), {"fast_symbols": [], "symbols": ["B", "A"]})
    assert again is first
    assert first[1] == 'quotes:{"fast_symbols":[],"symbols":["B","A"]}'
    other = resolver.resolve("quotes", QuotesRequest(), {"symbols": ["A", "B"], "fast_symbols": []})
    assert other[1] == 'quotes:{"fast_symbols":[],"symbols":["A","B"]}'


def test_routes_with_the_same_payload_do_not_share_topics() -> None:
    resolver = Resolver()
    assert resolver.resolve("orders", AccountRequest(), {"accountId": "A"})[1] == 'orders:{"accountId":"A"}'
    assert resolver.resolve("equity", AccountRequest(), {"accountId": "A"})[1] == 'equity:{"accountId":"A"}'


def test_invalid_payloads_raise_every_time_and_memory_is_bounded() -> None:
    resolver = Resolver(max_entries=2)
    for _ in range(2):
        with pytest.raises(marshmallow.ValidationError):
            resolver.resolve("orders", AccountRequest(), {"accountId": 1})
    for n in range(5):
        assert resolver.resolve("orders", AccountRequest(), {"accountId": str(n)})[0] == {"accountId": str(n)}
    assert len(resolver._known) <= 2


@pytest.mark.parametrize(
    ("messages", "text"),
    [
        ({"accountId": ["Missing data for required field."]}, "accountId: Missing data for required field."),
        ({"symbols": {0: ["Not a valid string."], 2: ["Not a valid string."]}},
         "symbols.0: Not a valid string.; symbols.2: Not a valid string."),
        ({"_schema": ["symbols or fast_symbols must not be empty"]}, "symbols or fast_symbols must not be empty"),
        ({"a": ["x", "y"]}, "a: x y"),
        ({f"f{i}": ["bad"] for i in range(30)}, "; ".join(f"f{i}: bad" for i in range(10))),
    ],
)
def test_messages_name_the_field(messages: object, text: str) -> None:
    assert describe(messages) == text
