"""CONTRACT §6.5: topic = route + ":" + canon(validated payload), byte for byte."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ws.conftest import AccountRequest, QuotesRequest, TicksRequest
from ws.topic import canon, make_topic, normalize, raw_topic
from ws.validation import load

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)
objects = st.dictionaries(text, json_values, max_size=5)


def without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_none(v) for v in value if v is not None]
    return value


def has_none(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_none(v) for v in value.values())
    if isinstance(value, list):
        return any(has_none(v) for v in value)
    return value is None


@pytest.mark.parametrize(
    ("route", "schema", "payload", "topic"),
    [
        ("bars", TicksRequest(), {"symbol": "AAPL", "resolution": "1"}, 'bars:{"resolution":"1","symbol":"AAPL"}'),
        ("bars", TicksRequest(), {"symbol": "AAPL", "resolution": "1D"}, 'bars:{"resolution":"1D","symbol":"AAPL"}'),
        ("quotes", QuotesRequest(), {"symbols": ["AAPL", "ZZZ"], "fast_symbols": []},
         'quotes:{"fast_symbols":[],"symbols":["AAPL","ZZZ"]}'),
        ("quotes", QuotesRequest(), {"symbols": ["AAPL", "ZZZ"], "fast_symbols": ["MSFT"]},
         'quotes:{"fast_symbols":["MSFT"],"symbols":["AAPL","ZZZ"]}'),
        ("orders", AccountRequest(), {"accountId": "TEST-001"}, 'orders:{"accountId":"TEST-001"}'),
        ("executions", AccountRequest(), {"accountId": "X", "symbol": "AAPL"}, 'executions:{"accountId":"X"}'),
        ("quotes", QuotesRequest(), {"symbols": ["B", "A", "B"], "fast_symbols": ["é"]},
         'quotes:{"fast_symbols":["\\u00e9"],"symbols":["B","A","B"]}'),
    ],
)
def test_contract_examples(route: str, schema: Any, payload: dict[str, Any], topic: str) -> None:
    assert make_topic(route, load(schema, payload)) == topic


@given(objects)
def test_canon_is_python_json_with_sorted_keys_when_there_is_no_null(obj: dict[str, Any]) -> None:
    obj = without_none(obj)
    assert canon(obj) == json.dumps(obj, sort_keys=True, separators=(",", ":"))


@given(objects)
def test_canon_is_ascii_sorted_compact_and_null_free(obj: dict[str, Any]) -> None:
    out = canon(obj)
    assert out.isascii()
    assert json.loads(out) == normalize(obj)
    assert not has_none(json.loads(out))
    assert canon(json.loads(out)) == out


@given(objects)
def test_key_order_does_not_matter_list_order_does(obj: dict[str, Any]) -> None:
    reversed_keys = dict(reversed(list(obj.items())))
    assert canon(reversed_keys) == canon(obj)


def test_lists_keep_order_and_duplicates_and_null_becomes_empty_string() -> None:
    assert canon({"b": [3, 1, 3, None], "a": {"z": None, "y": "é😀"}}) == (
        '{"a":{"y":"\\u00e9\\ud83d\\ude00","z":""},"b":[3,1,3,""]}'
    )


def test_keys_sort_by_code_point_not_locale() -> None:
    assert canon({"b": 1, "B": 2, "_": 3, "é": 4, "a": 5}) == '{"B":2,"_":3,"a":5,"b":1,"\\u00e9":4}'


def test_error_topic_drops_unknown_keys_and_keeps_raw_values() -> None:
    assert raw_topic("orders", AccountRequest(), {"accountId": 5, "x": 1}) == 'orders:{"accountId":5}'
    assert raw_topic("orders", AccountRequest(), {"accountId": None}) == 'orders:{"accountId":""}'
    assert raw_topic("orders", AccountRequest(), ["accountId"]) == ""
    assert raw_topic("orders", AccountRequest(), None) == ""
