"""API keys: ``ACCOUNT_ID.KEY_ID.SECRET``, of which only a SHA-256 digest is ever stored.

The two ids are not secret (a gateway may route by account, an operator revokes by key id); the
secret is 32 random bytes, url-safe. Why SHA-256 and no slow KDF (bcrypt, scrypt, Argon2): a
slow hash protects *low-entropy* secrets (passwords) against guessing after a database leak; a
256-bit random secret cannot be guessed whatever the hash costs, so a fast hash is as safe and
keeps every request's check at a microsecond instead of tens of milliseconds (which would also
make the check itself a denial-of-service lever).

The check takes the same work whatever the key: the token is always hashed and always compared
(``hmac.compare_digest``) against a digest, a dummy one when the key id is unknown or belongs to
another account, so timing tells nothing about which part was wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

SECRET_BYTES = 32
_DUMMY_DIGEST = hashlib.sha256(b"no such key").hexdigest()


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key just made: the only moment its secret exists outside the caller's hands."""

    account_id: str
    key_id: str
    secret: str

    @property
    def token(self) -> str:
        return f"{self.account_id}.{self.key_id}.{self.secret}"

    @property
    def digest(self) -> str:
        return digest(self.token)


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """A live key as the server holds it."""

    key_id: str
    account_id: str
    digest: str


def new_id(prefix: str) -> str:
    """``ACC-…``/``KEY-…``: 64 random bits, hex (no ``.``, so a token splits unambiguously)."""
    return f"{prefix}-{secrets.token_hex(8)}"


def new_key(account_id: str) -> NewKey:
    return NewKey(account_id, new_id("KEY"), secrets.token_urlsafe(SECRET_BYTES))


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


class KeyRing:
    """The live keys by key id, replaced as a whole when the directory's key version moves."""

    __slots__ = ("_by_id", "version")

    def __init__(self, entries: Iterable[KeyEntry] = (), version: int = -1) -> None:
        self._by_id = {e.key_id: e for e in entries}
        self.version = version

    def replace(self, entries: Iterable[KeyEntry], version: int) -> None:
        self._by_id = {e.key_id: e for e in entries}
        self.version = version

    def __len__(self) -> int:
        return len(self._by_id)

    def account_of(self, token: str) -> str | None:
        """The account ``token`` opens, or None; the same work for every token of sane length."""
        account_id, _, rest = token.partition(".")
        key_id, _, _ = rest.partition(".")
        entry = self._by_id.get(key_id)
        expected = entry.digest if entry is not None and entry.account_id == account_id else _DUMMY_DIGEST
        matches = hmac.compare_digest(digest(token), expected)
        return entry.account_id if matches and entry is not None else None

    def key_ids(self) -> set[str]:
        return set(self._by_id)
