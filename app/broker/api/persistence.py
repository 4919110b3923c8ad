"""The broker's events and account snapshots as store records, and the account rebuilt from them.

Kinds are the event class names (``EVENT_TYPES``) plus ``AccountSnapshot`` (its orders are
``OrderRecord`` rows): all plain frozen dataclasses, so the generic codec reads and writes them.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

from app.broker.domain.checkpoint import AccountSnapshot, import_state
from app.broker.domain.events import EVENT_TYPES, AccountReset, DomainEvent
from app.broker.domain.state import AccountState
from app.store.codec import Codec, CodecError
from app.store.interface import Record, Stored

CODEC = Codec([*EVENT_TYPES, AccountSnapshot])


def to_records(events: Sequence[DomainEvent], first_seq: int) -> list[Record]:
    dumps, kind = CODEC.dumps, CODEC.kind
    return [Record(seq, kind(event), dumps(event)) for seq, event in enumerate(events, first_seq)]


def from_record(record: Record) -> DomainEvent:
    event: DomainEvent = CODEC.loads(record.kind, record.payload)
    return event


def snapshot_payload(snapshot: AccountSnapshot) -> bytes:
    return CODEC.dumps(snapshot)


def snapshot_from(payload: bytes) -> AccountSnapshot:
    snapshot: AccountSnapshot = CODEC.loads("AccountSnapshot", payload)
    return snapshot


def rebuild(stored: Stored) -> AccountState:
    """The snapshot (or the account's first event, its ``AccountReset``) plus the records after it.

    The collector is paused meanwhile: a load creates millions of objects and none is garbage."""
    paused = gc.isenabled()
    gc.disable()
    try:
        state = _rebuild(stored)
    finally:
        if paused:
            gc.enable()
    return state


def _rebuild(stored: Stored) -> AccountState:
    records = stored.records
    if stored.snapshot is not None:
        state = import_state(snapshot_from(stored.snapshot.payload))
    else:
        if not records or records[0].kind != "AccountReset":
            raise CodecError("the stored account neither has a snapshot nor starts with AccountReset")
        first = from_record(records[0])
        assert isinstance(first, AccountReset)
        state = AccountState.fresh(first)
        records = records[1:]
    apply = state.apply
    for record in records:
        apply(from_record(record))
    return state
