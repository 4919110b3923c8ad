"""API keys: their form, their digest, and a check that refuses every altered key."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from app.accounts.keys import KeyEntry, KeyRing, digest, new_key


def _ring(*keys: object) -> KeyRing:
    return KeyRing([KeyEntry(k.key_id, k.account_id, k.digest) for k in keys], version=1)  # type: ignore[attr-defined]


def test_a_key_is_account_dot_key_dot_a_32_byte_url_safe_secret() -> None:
    key = new_key("ACC-0123456789abcdef")
    account_id, key_id, secret = key.token.split(".")
    assert (account_id, key_id) == ("ACC-0123456789abcdef", key.key_id)
    assert key_id.startswith("KEY-") and len(key_id) == 20
    assert len(base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))) == 32
    assert key.digest == digest(key.token) and len(key.digest) == 64 and secret not in key.digest


def test_two_keys_never_share_a_secret() -> None:
    assert len({new_key("ACC-1").secret for _ in range(1000)}) == 1000


def test_the_ring_opens_the_account_of_a_live_key_only() -> None:
    alice, bob = new_key("ACC-alice"), new_key("ACC-bob")
    ring = _ring(alice, bob)
    assert ring.account_of(alice.token) == "ACC-alice"
    assert ring.account_of(bob.token) == "ACC-bob"
    assert ring.key_ids() == {alice.key_id, bob.key_id}
    ring.replace([KeyEntry(bob.key_id, bob.account_id, bob.digest)], version=2)
    assert ring.account_of(alice.token) is None
    assert ring.version == 2


def test_another_accounts_id_in_front_of_a_valid_key_is_refused() -> None:
    alice, bob = new_key("ACC-alice"), new_key("ACC-bob")
    ring = _ring(alice, bob)
    forged = f"ACC-bob.{alice.key_id}.{alice.secret}"
    assert ring.account_of(forged) is None


@given(st.integers(min_value=0), st.characters(codec="ascii"))
def test_any_change_to_a_key_is_refused(position: int, replacement: str) -> None:
    key = new_key("ACC-alice")
    ring = _ring(key)
    token = key.token
    at = position % len(token)
    altered = token[:at] + replacement + token[at + 1:]
    if altered != token:
        assert ring.account_of(altered) is None


@given(st.text(max_size=300))
def test_garbage_opens_nothing(token: str) -> None:
    assert _ring(new_key("ACC-alice")).account_of(token) is None
