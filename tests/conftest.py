"""Shared fixtures: the real application, built by the real factory, on an in-process server."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from hypothesis import settings
from jsonschema import Draft202012Validator

from app.factory import build_market, create_app
from app.keys import MODULE_APPS
from app.market.model import Market
from app.settings import Settings
from app.specs.openapi import to_json_schema

ClientFactory = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]
pytest_plugins = ("tests.pgserver",)  # pg_server, pg_url: a real PostgreSQL server for the run

settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
"""No per-example deadline anywhere: it is a timing assertion, and on the shared 2-core machine an
example of the commission property took 392 ms against hypothesis's default 200 ms."""


@pytest.fixture(scope="session", autouse=True)
def store_url_for_servers() -> Iterator[None]:
    """Servers that tests start as processes read STORE_URL: without it they would write the
    default SQLite file under ~/.local/state. Tests of a store pass their own URL explicitly."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STORE_URL", "memory:")
        yield


@pytest.fixture(scope="session")
def market() -> Market:
    """One warmed market for the whole run: it is a pure function of time, so sharing is safe."""
    m = build_market(Settings())
    m.warm()
    return m


@pytest.fixture
def make_client(aiohttp_client: Any, market: Market) -> ClientFactory:
    """The real app with these settings overridden, on the shared market or on ``on`` (a market
    whose clock the test owns)."""
    shared = market

    async def factory(on: Market | None = None, **overrides: Any) -> TestClient[web.Request, web.Application]:
        settings = Settings().with_overrides(**overrides)
        client: TestClient[web.Request, web.Application] = await aiohttp_client(
            create_app(settings, market=on or shared)
        )
        return client

    return factory


@pytest.fixture
async def client(make_client: ClientFactory) -> TestClient[web.Request, web.Application]:
    return await make_client()


# --- every response of the real app, in every test, against the schema the OpenAPI declares ----

OPENAPI = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


class ResponseContract:
    """Checks each JSON answer of a documented operation: its status must be declared and its
    body must validate against the declared schema (nullable → null types, no undeclared keys)."""

    def __init__(self) -> None:
        from tests.specs.test_responses import closed

        self.document = json.loads(OPENAPI.read_text())
        self.components = closed(to_json_schema(self.document["components"]))
        self._closed = closed
        self.violations: list[str] = []
        self.checked = 0

    def check(self, request: web.Request, response: web.StreamResponse) -> None:
        if not isinstance(response, web.Response) or response.content_type != "application/json":
            return
        route = request.match_info.route
        template = route.resource.canonical if route.resource is not None else None
        operation = self.document["paths"].get(template or "", {}).get(request.method.lower())
        if operation is None:
            return
        label = f"{request.method} {request.path_qs} → {response.status}"
        declared = operation["responses"].get(str(response.status))
        if declared is None:
            self.violations.append(f"{label}: status not declared for {operation['operationId']}")
            return
        schema = {**self._closed(to_json_schema(declared["content"]["application/json"]["schema"])),
                  "components": self.components}
        body = response.body
        data = json.loads(body if isinstance(body, bytes) else b"null")
        errors = list(Draft202012Validator(schema).iter_errors(data))
        self.checked += 1
        if errors:
            self.violations.append(f"{label}: " + "; ".join(
                f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]))


@pytest.fixture(autouse=True)
def response_contract(monkeypatch: pytest.MonkeyPatch) -> Iterator[ResponseContract]:
    """Installed around the request handler of every app a test serves through the aiohttp test
    server: outside the edge, so it sees the error contract's answers too, and adds no middleware
    (which would change how the app routes, see app/http/exact.py)."""
    from aiohttp import test_utils

    contract = ResponseContract()
    original = test_utils.TestServer.__init__

    def init(self: test_utils.TestServer, app: web.Application, **kwargs: Any) -> None:
        if MODULE_APPS in app and not app.frozen:
            inner = app._handle

            async def checking(request: web.Request) -> web.StreamResponse:
                response = await inner(request)
                if getattr(request, "_match_info", None) is not None:  # answered without routing: not an operation's
                    contract.check(request, response)
                return response

            object.__setattr__(app, "_handle", checking)
        original(self, app, **kwargs)

    monkeypatch.setattr(test_utils.TestServer, "__init__", init)
    yield contract
    assert not contract.violations, "responses outside their declared schema:\n" + "\n".join(contract.violations)
