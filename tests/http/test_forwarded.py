"""TRUSTED_PROXIES: behind the gateway, the client's address comes from X-Forwarded-For; from
any other peer the header is ignored, so a client cannot pick its own address."""

from __future__ import annotations

import pytest
from aiohttp import web
from pytest_aiohttp.plugin import AiohttpClient

from app.http.forwarded import Trusted, client_address, forwarded_middleware, parse_networks
from app.settings import Settings

GATEWAY = Trusted(parse_networks("127.0.0.1,10.0.0.0/8"))


def test_the_right_most_untrusted_hop_is_the_client() -> None:
    assert client_address("127.0.0.1", "203.0.113.7", GATEWAY) == "203.0.113.7"
    assert client_address("127.0.0.1", "1.2.3.4, 203.0.113.7", GATEWAY) == "203.0.113.7", \
        "what the client wrote on the left proves nothing"
    assert client_address("127.0.0.1", "203.0.113.7, 10.1.2.3", GATEWAY) == "203.0.113.7", "a trusted hop is skipped"


def test_a_malformed_hop_or_only_trusted_hops_leave_the_peer() -> None:
    assert client_address("127.0.0.1", "203.0.113.7, not-an-ip", GATEWAY) == "127.0.0.1"
    assert client_address("127.0.0.1", "10.0.0.1", GATEWAY) == "127.0.0.1"


def test_the_memo_of_verdicts_stays_bounded() -> None:
    trusted = Trusted(parse_networks("127.0.0.1"))
    for n in range(Trusted.MEMO_SIZE + 10):
        assert trusted(f"10.{n // 65536}.{n // 256 % 256}.{n % 256}") is False
    assert trusted("127.0.0.1") is True and trusted("nonsense") is None
    assert len(trusted._memo) <= Trusted.MEMO_SIZE


def test_a_bad_setting_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="TRUSTED_PROXIES must list IP addresses or networks, not 'gateway'"):
        Settings(trusted_proxies="127.0.0.1,gateway")
    assert Settings.from_env({"TRUSTED_PROXIES": "127.0.0.1", "STORE_URL": "memory:"}).trusted_proxies == "127.0.0.1"


async def _remote(request: web.Request) -> web.Response:
    return web.Response(text=request.remote or "")


async def test_the_header_counts_only_from_a_trusted_peer(aiohttp_client: AiohttpClient) -> None:
    for trusted, expected in (("127.0.0.1", "203.0.113.7"), ("192.0.2.1", "127.0.0.1")):
        app = web.Application(middlewares=[forwarded_middleware(parse_networks(trusted))])
        app.router.add_get("/", _remote)
        client = await aiohttp_client(app)
        response = await client.get("/", headers={"X-Forwarded-For": "203.0.113.7"})
        assert await response.text() == expected
        assert await (await client.get("/")).text() == "127.0.0.1"
