"""422 items: byte-exact against CONTRACT §1.4 (without pydantic's ``url``), capped, in order."""

from __future__ import annotations

import orjson
import pytest
from marshmallow import ValidationError

from schemas.broker import PreOrderSchema
from schemas.datafeed import GetQuotesRequestSchema
from schemas.errors import RequestInvalid, item, json_invalid_item, missing_body_item, validation_items
from schemas.limits import MAX_ERROR_ITEMS
from schemas.problems import Problem


def detail(items: list[dict[str, object]]) -> bytes:
    return orjson.dumps({"detail": items})


def test_enum_side_0_is_the_contracts_item() -> None:
    body = {"symbol": "AAPL", "type": 1, "side": 0, "qty": 1}
    with pytest.raises(ValidationError) as caught:
        PreOrderSchema().load(body)
    assert detail(validation_items(caught.value, "body", body)) == (
        b'{"detail":[{"type":"enum","loc":["body","side"],"msg":"Input should be 1 or -1","input":0,'
        b'"ctx":{"expected":"1 or -1"}}]}'
    )


def test_malformed_json_is_the_contracts_item() -> None:
    assert detail([json_invalid_item("Expecting property name enclosed in double quotes", 1)]) == (
        b'{"detail":[{"type":"json_invalid","loc":["body",1],"msg":"JSON decode error","input":{},'
        b'"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}'
    )
    assert json_invalid_item("unexpected end of data")["loc"] == ["body", 0]


def test_missing_body_is_the_contracts_item() -> None:
    assert detail([missing_body_item()]) == (
        b'{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}'
    )


def test_domain_items_keep_pydantics_key_order() -> None:
    assert list(item("value_error", ["body", "limitPrice"], "Value error, off tick", 1.005)) == [
        "type", "loc", "msg", "input"
    ]
    assert detail([item("greater_than", ("body", "qty"), "Input should be greater than 0", 0, {"gt": 0})]) == (
        b'{"detail":[{"type":"greater_than","loc":["body","qty"],"msg":"Input should be greater than 0",'
        b'"input":0,"ctx":{"gt":0}}]}'
    )


def test_at_most_50_items_in_input_order() -> None:
    body = {"symbols": list(range(200))}
    with pytest.raises(ValidationError) as caught:
        GetQuotesRequestSchema().load(body)
    found = validation_items(caught.value, "body", body)
    assert MAX_ERROR_ITEMS == 50
    assert [i["loc"] for i in found] == [["body", "symbols", n] for n in range(50)]
    assert found[7] == {"type": "string_type", "loc": ["body", "symbols", 7], "msg": "Input should be a valid string",
                        "input": 7}


def test_a_plain_marshmallow_message_becomes_a_value_error() -> None:
    error = ValidationError({"field": ["Something else."], "_schema": [Problem("x_type", "X", {"a": 1})]})
    assert validation_items(error, "path", {"field": "v"}) == [
        {"type": "value_error", "loc": ["path", "field"], "msg": "Something else.", "input": "v"},
        {"type": "x_type", "loc": ["path"], "msg": "X", "input": {"field": "v"}, "ctx": {"a": 1}},
    ]


def test_request_invalid_carries_at_most_50_items() -> None:
    items = [missing_body_item()] * 60
    assert RequestInvalid(items).items == items[:50]


def test_a_problem_survives_marshmallow_formatting_and_copies() -> None:
    import copy
    import pickle

    problem = Problem("enum", "Input should be {x}", {"expected": "1"})
    for same in (problem.format(x=1), copy.deepcopy(problem), pickle.loads(pickle.dumps(problem))):
        assert isinstance(same, Problem)
        assert (same.type, str(same), same.ctx) == ("enum", "Input should be {x}", {"expected": "1"})
