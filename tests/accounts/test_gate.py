"""``AUTH=required``: the 401 and 429 shapes, keys from the command line seen within a second,
revoked keys refused, and limits that recover (issue 15 items 3-5)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from app.accounts.directory import Directory
from app.accounts.keys import NewKey
from tests.conftest import ClientFactory
from tests.waiting import wait_until_async

ROOT = Path(__file__).resolve().parents[2]
ORDERS = "/api/v1/broker/orders"


@pytest.fixture
def store_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'store.sqlite3'}"


async def _create(store_url: str, name: str = "alice") -> NewKey:
    directory = await Directory(store_url).open()
    try:
        _, key = await directory.create_account(name, 100_000.0)
    finally:
        await directory.close()
    return key


def _auth(key: NewKey | str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key if isinstance(key, str) else key.token}"}


async def _required(make_client: ClientFactory, store_url: str, **overrides: object) -> object:
    return await make_client(auth="required", store_url=store_url, key_poll_s=0.05, **overrides)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic a2V5"},
                                     {"Authorization": "Bearer ACC-x.KEY-y.zzzz"}])
async def test_missing_or_unknown_keys_get_401_not_authenticated(
        make_client: ClientFactory, store_url: str, headers: dict[str, str]) -> None:
    await _create(store_url)
    client = await _required(make_client, store_url)
    response = await client.get(ORDERS, headers=headers)  # type: ignore[attr-defined]
    assert response.status == 401
    assert await response.json() == {"detail": "Not authenticated"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_valid_key_is_served_and_health_stays_public(make_client: ClientFactory, store_url: str) -> None:
    key = await _create(store_url)
    client = await _required(make_client, store_url)
    response = await client.get(ORDERS, headers=_auth(key))  # type: ignore[attr-defined]
    assert response.status == 200 and await response.json() == []
    assert (await client.get("/api/v1/broker/health")).status == 200  # type: ignore[attr-defined]
    assert (await client.get("/api/v1/datafeed/config")).status == 200  # type: ignore[attr-defined]


async def test_datafeed_auth_required_guards_the_datafeed(make_client: ClientFactory, store_url: str) -> None:
    key = await _create(store_url)
    client = await _required(make_client, store_url, datafeed_auth="required")
    assert (await client.get("/api/v1/datafeed/config")).status == 401  # type: ignore[attr-defined]
    assert (await client.get("/api/v1/datafeed/config", headers=_auth(key))).status == 200  # type: ignore[attr-defined]


async def test_keys_created_and_revoked_later_take_effect_within_a_second(
        make_client: ClientFactory, store_url: str) -> None:
    first = await _create(store_url)
    client = await _required(make_client, store_url)
    directory = await Directory(store_url).open()
    try:
        second = await directory.add_key(first.account_id)

        async def status(key: NewKey) -> int:
            return (await client.get(ORDERS, headers=_auth(key))).status  # type: ignore[attr-defined,no-any-return]

        async def answered(key: NewKey, wanted: int) -> bool:
            return await status(key) == wanted

        await wait_until_async(lambda: answered(second, 200), timeout=1.0, interval=0.02, what="the new key")
        assert await directory.revoke(second.key_id)
        await wait_until_async(lambda: answered(second, 401), timeout=1.0, interval=0.02, what="the revocation")
        assert await status(first) == 200
    finally:
        await directory.close()


async def test_excess_requests_get_429_with_retry_after_and_recover(
        make_client: ClientFactory, store_url: str) -> None:
    key = await _create(store_url)
    client = await _required(make_client, store_url, rate_per_s=20.0, rate_burst=5)
    statuses = [(await client.get(ORDERS, headers=_auth(key))).status for _ in range(8)]  # type: ignore[attr-defined]
    assert statuses[:5] == [200] * 5 and 429 in statuses[5:]
    refused = await client.get(ORDERS, headers=_auth(key))  # type: ignore[attr-defined]
    assert refused.status == 429
    assert await refused.json() == {"detail": "Too many requests"}
    assert refused.headers["Retry-After"] == "1"
    await asyncio.sleep(0.2)  # the bucket refills at 20/s: 0.2 s gives back at least one token
    assert (await client.get(ORDERS, headers=_auth(key))).status == 200  # type: ignore[attr-defined]


async def test_guessing_keys_from_one_address_is_slowed_to_429(make_client: ClientFactory, store_url: str) -> None:
    key = await _create(store_url)
    client = await _required(make_client, store_url, unauth_rate_per_s=1.0, unauth_burst=3)
    guesses = []
    for i in range(5):
        guess = _auth(f"{key.account_id}.{key.key_id}.guess{i}")
        guesses.append((await client.get(ORDERS, headers=guess)).status)  # type: ignore[attr-defined]
    assert guesses == [401, 401, 401, 429, 429]
    right = await client.get(ORDERS, headers=_auth(key))  # type: ignore[attr-defined]
    assert right.status == 429 and right.headers["Retry-After"] == "1"


async def test_a_handshake_needs_a_key_in_the_header_or_the_token_parameter(
        make_client: ClientFactory, store_url: str) -> None:
    key = await _create(store_url)
    client = await _required(make_client, store_url)
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/api/v1/broker/ws")  # type: ignore[attr-defined]
    assert refused.value.status == 401
    for ws in (await client.ws_connect("/api/v1/broker/ws", headers=_auth(key)),  # type: ignore[attr-defined]
               await client.ws_connect(f"/api/v1/broker/ws?token={key.token}")):  # type: ignore[attr-defined]
        await ws.send_json({"type": "equity.subscribe", "payload": {"accountId": key.account_id}})
        assert (await ws.receive_json(timeout=5))["type"] == "equity.subscribe.response"
        await ws.close()


async def test_required_mode_needs_a_durable_store() -> None:
    from app.settings import Settings

    with pytest.raises(ValueError, match="AUTH=required needs a durable STORE_URL"):
        Settings(auth="required")
    with pytest.raises(ValueError, match="AUTH must be one of off, required"):
        Settings(auth="maybe")


def test_the_accounts_commands_print_a_key_once_and_list_ids_only(store_url: str) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "accounts", *args, "--store", store_url],
                              cwd=ROOT, capture_output=True, text=True, timeout=60)

    created = run("create", "alice", "--balance", "5000")
    assert created.returncode == 0, created.stderr
    account_line, key_line = created.stdout.splitlines()
    account_id = account_line.split()[1]
    assert account_line == f"account {account_id} (alice, 5000 USD)"
    key_id, token = key_line.removeprefix("key ").split(": ")
    assert token.startswith(f"{account_id}.{key_id}.")
    listed = run("list")
    assert listed.stdout.splitlines() == [f"{account_id}\talice\t5000 USD", f"  {key_id}\tlive"]
    assert token.split(".")[2] not in Path(store_url.removeprefix("sqlite:///")).read_bytes().decode("latin-1")
    another = run("key", account_id)
    assert another.returncode == 0 and another.stdout.startswith("key KEY-")
    assert run("revoke", key_id).stdout == f"revoked {key_id}\n"
    assert run("revoke", key_id).returncode == 1
    assert run("key", "ACC-nobody").returncode == 1
    memory = subprocess.run([sys.executable, "-m", "app", "accounts", "list", "--store", "memory:"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert memory.returncode == 2 and "not memory:" in memory.stderr


async def test_revoking_a_key_closes_its_sockets_with_1008_and_spares_the_others(
        make_client: ClientFactory, store_url: str) -> None:
    first = await _create(store_url)
    client = await _required(make_client, store_url)
    directory = await Directory(store_url).open()
    try:
        second = await directory.add_key(first.account_id)
        await wait_until_async(lambda: _opens(client, second), timeout=1.0, interval=0.02, what="the new key")
        doomed = await client.ws_connect(f"/api/v1/broker/ws?token={second.token}")  # type: ignore[attr-defined]
        spared = await client.ws_connect("/api/v1/broker/ws", headers=_auth(first))  # type: ignore[attr-defined]
        assert await directory.revoke(second.key_id)
        closing = await doomed.receive(timeout=2.0)
        assert closing.type is aiohttp.WSMsgType.CLOSE and closing.data == 1008
        assert closing.extra == "API key revoked"
        await spared.send_json({"type": "equity.subscribe", "payload": {"accountId": first.account_id}})
        assert (await spared.receive_json(timeout=5))["type"] == "equity.subscribe.response"
        await spared.close()
    finally:
        await directory.close()


async def _opens(client: object, key: NewKey) -> bool:
    return (await client.get(ORDERS, headers=_auth(key))).status == 200  # type: ignore[attr-defined,no-any-return]
