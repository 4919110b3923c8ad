"""The HTTP error contract: JSON 404/405/413/422/500 shapes (CONTRACT §1.4, DESIGN §3)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from marshmallow import Schema

from app.factory import create_app
from app.http.errors import ApiError
from app.http.responses import json_response
from app.http.validation import load_body, load_query
from app.keys import ERROR_TRANSLATOR
from app.market.model import Market
from app.settings import Settings
from schemas.errors import RequestInvalid, item
from schemas.fields import WireFloat


class _Probe(Schema):
    qty = WireFloat(required=True)


PROBE = _Probe()


async def _boom(_: web.Request) -> web.Response:
    raise RuntimeError("secret internal state")


async def _app_error(_: web.Request) -> web.Response:
    raise ApiError(400, "Order ORDER-9 not found")


async def _echo_body(request: web.Request) -> web.Response:
    return json_response(await load_body(request, PROBE))


async def _echo_query(request: web.Request) -> web.Response:
    return json_response(load_query(request, PROBE))


class _Refused(Exception):
    """A domain error of a probe module: the module's translator says what it is over HTTP."""


class _Unmapped(Exception):
    pass


async def _refused(request: web.Request) -> web.Response:
    raise _Refused(request.query.get("why", "no"))


async def _unmapped(_: web.Request) -> web.Response:
    raise _Unmapped("not the module's")


def _translate(exc: Exception) -> Exception | None:
    if isinstance(exc, _Refused):
        if str(exc) == "crash":
            raise KeyError("the translator's own bug")
        if str(exc) == "surrogate":
            return ApiError(404, "Unknown symbol \ud800")
        if str(exc) == "field":
            return RequestInvalid([item("value_error", ["body", "x"], "bad x", 1)])
        return ApiError(409, f"refused: {exc}")
    return None


@pytest.fixture
async def probe_client(aiohttp_client: Any, market: Market) -> Any:
    """The real app with a few probe routes added, to reach each branch of the error middleware."""
    app = create_app(Settings(max_body_bytes=1024), market=market)
    app.router.add_get("/probe/boom", _boom)
    app.router.add_get("/probe/app-error", _app_error)
    app.router.add_post("/probe/body", _echo_body)
    app.router.add_get("/probe/query", _echo_query)
    app.router.add_get("/probe/refused", _refused)
    module = web.Application()
    module[ERROR_TRANSLATOR] = _translate
    module.router.add_get("/refused", _refused)
    module.router.add_get("/unmapped", _unmapped)
    app.add_subapp("/probe-module", module)
    return await aiohttp_client(app)


async def test_a_modules_domain_error_is_answered_by_its_translator(probe_client: Any) -> None:
    conflict = await probe_client.get("/probe-module/refused", params={"why": "taken"})
    assert (conflict.status, await conflict.read()) == (409, b'{"detail":"refused: taken"}')
    invalid = await probe_client.get("/probe-module/refused", params={"why": "field"})
    assert (invalid.status, await invalid.json()) == (
        422, {"detail": [{"type": "value_error", "loc": ["body", "x"], "msg": "bad x", "input": 1}]})


async def test_an_error_no_translator_knows_is_a_500(probe_client: Any) -> None:
    unmapped = await probe_client.get("/probe-module/unmapped")
    outside = await probe_client.get("/probe/refused")  # the root app has no translator
    assert [(r.status, await r.json()) for r in (unmapped, outside)] == [
        (500, {"detail": "Internal Server Error", "request_id": r.headers["X-Request-ID"]})
        for r in (unmapped, outside)]


async def test_unknown_path_is_json_404(probe_client: Any) -> None:
    response = await probe_client.get("/nope")
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/json"
    assert await response.read() == b'{"detail":"Not Found"}'


async def test_wrong_method_is_json_405_with_allow(probe_client: Any) -> None:
    response = await probe_client.post("/api/v1/broker/health")
    assert response.status == 405
    assert await response.read() == b'{"detail":"Method Not Allowed"}'
    assert response.headers["Allow"] == "GET"


async def test_trailing_slash_redirects_like_the_original(probe_client: Any) -> None:
    response = await probe_client.get("/api/v1/broker/health/", allow_redirects=False)
    assert response.status == 307
    assert response.headers["Location"].endswith("/api/v1/broker/health")


async def test_unhandled_exception_is_json_500_without_traceback(probe_client: Any) -> None:
    response = await probe_client.get("/probe/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status == 500
    assert await response.read() == b'{"detail":"Internal Server Error","request_id":"boom-1"}'


async def test_application_error_has_a_string_detail(probe_client: Any) -> None:
    response = await probe_client.get("/probe/app-error")
    assert response.status == 400
    assert await response.read() == b'{"detail":"Order ORDER-9 not found"}'


async def test_malformed_json_is_422_json_invalid(probe_client: Any) -> None:
    response = await probe_client.post("/probe/body", data=b"{bad", headers={"Content-Type": "application/json"})
    assert response.status == 422
    body = await response.json()
    item = body["detail"][0]
    assert list(item)[:4] == ["type", "loc", "msg", "input"]
    assert item["type"] == "json_invalid"
    assert item["loc"] == ["body", 1]  # the decoder's position, as the original reports it
    assert item["msg"] == "JSON decode error"
    assert item["ctx"] == {"error": "Expecting property name enclosed in double quotes"}


async def test_missing_body_is_422_missing(probe_client: Any) -> None:
    response = await probe_client.post("/probe/body")
    assert response.status == 422
    assert await response.json() == {
        "detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}]
    }


async def test_body_field_error_names_the_field(probe_client: Any) -> None:
    response = await probe_client.post("/probe/body", json={"qty": "abc"})
    assert response.status == 422
    item = (await response.json())["detail"][0]
    assert item["loc"] == ["body", "qty"]
    assert item["type"] == "float_parsing"
    assert item["input"] == "abc"


async def test_query_field_error_has_query_loc(probe_client: Any) -> None:
    response = await probe_client.get("/probe/query", params={"qty": "x"})
    assert response.status == 422
    assert (await response.json())["detail"][0]["loc"] == ["query", "qty"]


async def test_numeric_strings_are_accepted_in_lax_mode(probe_client: Any) -> None:
    response = await probe_client.post("/probe/body", json={"qty": "1"})
    assert response.status == 200
    assert await response.read() == b'{"qty":1.0}'


async def test_a_huge_integer_is_a_422_naming_the_field(probe_client: Any) -> None:
    for digits in ("9" * 400, "-" + "9" * 1000):  # the probe app takes bodies up to 1 KiB
        response = await probe_client.post("/probe/body", data=b'{"qty":' + digits.encode() + b"}",
                                           headers={"Content-Type": "application/json"})
        assert response.status == 422
        (found,) = (await response.json())["detail"]
        assert (found["type"], found["loc"]) == ("finite_number", ["body", "qty"])


async def test_an_echoed_integer_beyond_64_bits_is_written_as_the_number(probe_client: Any) -> None:
    """orjson refuses such integers; the 422 falls back to the standard encoder, NaN as null."""
    body = b'[NaN, {"qty":' + b"9" * 400 + b"}]"  # NaN: the standard parser keeps the int exact
    response = await probe_client.post("/probe/body", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 422
    assert await response.read() == (
        b'{"detail":[{"type":"value_error","loc":["body"],"msg":"Invalid input type.",'
        b'"input":[null,{"qty":' + b"9" * 400 + b"}]}]}")


async def test_a_body_nested_too_deep_for_the_parser_is_a_422(client: Any) -> None:
    body = b"[" * 5000 + b"NaN" + b"]" * 5000  # NaN: past orjson, into the recursive parser
    response = await client.post("/api/v1/broker/orders", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 422
    assert (await response.json())["detail"] == [
        {"type": "json_invalid", "loc": ["body", 0], "msg": "JSON decode error", "input": {},
         "ctx": {"error": "JSON nested deeper than 32 levels"}}]


async def test_oversized_body_is_json_413(probe_client: Any) -> None:
    response = await probe_client.post("/probe/body", data=b"[" + b"1," * 2000 + b"1]")
    assert response.status == 413
    assert (await response.json())["detail"] == "Request Entity Too Large"


async def test_a_failure_of_the_error_handler_itself_is_still_a_json_500(probe_client: Any) -> None:
    response = await probe_client.get("/probe-module/refused", params={"why": "crash"})
    assert (response.status, response.content_type) == (500, "application/json")
    body = await response.json()
    assert body["detail"] == "Internal Server Error" and set(body) == {"detail", "request_id"}


async def test_an_error_detail_utf_8_cannot_carry_is_written_with_ascii_escapes(probe_client: Any) -> None:
    response = await probe_client.get("/probe-module/refused", params={"why": "surrogate"})
    assert (response.status, response.content_type) == (404, "application/json")
    assert await response.read() == b'{"detail":"Unknown symbol \\ud800"}'
