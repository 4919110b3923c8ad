"""Behind the gateway the per-address limit of AUTH=required (app/accounts/gate.py) counts each
client, not the gateway: TRUSTED_PROXIES makes X-Forwarded-For the address, from the gateway only."""

from __future__ import annotations

from pathlib import Path

from app.accounts.directory import Directory
from tests.accounts.conftest import response_contract  # noqa: F401  (the gate's 401/429 are not declared yet)
from tests.conftest import ClientFactory

ORDERS = "/api/v1/broker/orders"


async def _guesses(make_client: ClientFactory, tmp_path: Path, trusted: str) -> list[int]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    directory = await Directory(url).open()
    try:
        _, key = await directory.create_account("alice", 100_000.0)
    finally:
        await directory.close()
    client = await make_client(auth="required", store_url=url, unauth_rate_per_s=0.1, unauth_burst=2,
                               trusted_proxies=trusted)
    statuses = []
    for client_address in ("203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.2"):
        wrong = {"Authorization": f"Bearer {key.account_id}.{key.key_id}.wrong",
                 "X-Forwarded-For": f"198.51.100.9, {client_address}"}
        statuses.append((await client.get(ORDERS, headers=wrong)).status)
    return statuses


async def test_behind_a_trusted_gateway_each_client_address_has_its_own_bucket(
        make_client: ClientFactory, tmp_path: Path) -> None:
    assert await _guesses(make_client, tmp_path, "127.0.0.1") == [401, 401, 429, 401]


async def test_from_an_untrusted_peer_the_header_changes_nothing(make_client: ClientFactory, tmp_path: Path) -> None:
    assert await _guesses(make_client, tmp_path, "192.0.2.1") == [401, 401, 429, 429]
