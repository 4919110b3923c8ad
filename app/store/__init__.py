"""The broker's durable store: one interface, three back ends chosen by ``STORE_URL``.

``memory:`` keeps nothing; ``sqlite:///PATH`` is one local file; ``postgresql://…`` is a shared
server. The domain never sees this package: the codec turns its event dataclasses into JSON.
"""

from __future__ import annotations

from pathlib import Path

from app.store.interface import Store
from app.store.memory import MemoryStore
from app.store.sqlite import SYNC_MODES, SqliteStore

SCHEMES = ("memory:", "sqlite:///", "postgresql://", "postgres://")


def check_url(url: str) -> str:
    """The URL when its scheme is known and it names something, else a ValueError saying so."""
    if url == "memory:":
        return url
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        return url
    if url.startswith(("postgresql://", "postgres://")) and len(url.split("://", 1)[1]) > 0:
        return url
    raise ValueError(f"STORE_URL must be memory:, sqlite:///PATH or postgresql://user:pass@host:port/db, "
                     f"not {url!r}")


def open_store(url: str, sync: str = "normal") -> Store:
    """The store for ``url`` (not yet opened: ``await store.open()``)."""
    check_url(url)
    if url == "memory:":
        return MemoryStore()
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url[len("sqlite:///"):]).expanduser(), sync)
    from app.store.postgresql import PostgresStore

    return PostgresStore(url)


__all__ = ["SCHEMES", "SYNC_MODES", "Store", "check_url", "open_store"]
