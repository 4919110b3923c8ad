"""Request ids: a sane offered id is kept, anything else gets this process's next own id."""

from __future__ import annotations

import re

from app.observability.context import RequestIds


def test_own_ids_are_the_process_prefix_and_a_hex_counter() -> None:
    ids, other = RequestIds(), RequestIds()
    made = [ids.fresh() for _ in range(17)] + [ids.choose(None), ids.choose("two words")]
    prefix = made[0].split("-")[0]
    assert all(re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]+", m) for m in made)
    assert made == [f"{prefix}-{n:x}" for n in range(1, 20)]
    assert other.fresh().split("-")[0] != prefix  # another process's prefix (random)


def test_a_sane_offered_id_is_kept_without_using_a_number() -> None:
    ids = RequestIds()
    assert ids.choose("client-42") == "client-42"
    assert ids.fresh().endswith("-1")
