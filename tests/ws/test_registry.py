"""The registry reports "first" and "last" so producers start and stop exactly once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ws.registry import Added, Registry, Removed


def test_first_joined_already() -> None:
    reg: Registry[str] = Registry()
    assert reg.add("a", "t") is Added.FIRST
    assert reg.add("b", "t") is Added.JOINED
    assert reg.add("a", "t") is Added.ALREADY
    assert set(reg.holders("t")) == {"a", "b"}
    assert reg.topic_count == 1 and reg.connection_count == 2


def test_one_remove_releases_a_topic_added_twice_and_last_is_reported_once() -> None:
    reg: Registry[str] = Registry()
    reg.add("a", "t")
    reg.add("a", "t")
    reg.add("b", "t")
    assert reg.remove("a", "t") is Removed.LEFT
    assert reg.remove("a", "t") is Removed.NOT_HELD
    assert reg.remove("b", "t") is Removed.LAST
    assert reg.topic_count == 0 and reg.connection_count == 0


def test_remove_of_a_topic_not_held_changes_nothing() -> None:
    reg: Registry[str] = Registry()
    reg.add("a", "t")
    assert reg.remove("b", "t") is Removed.NOT_HELD
    assert reg.remove("a", "u") is Removed.NOT_HELD
    assert set(reg.holders("t")) == {"a"} and set(reg.topics_of("a")) == {"t"}


def test_release_returns_exactly_the_topics_left_without_holders() -> None:
    reg: Registry[str] = Registry()
    for topic in ("t1", "t2", "t3"):
        reg.add("a", topic)
    reg.add("b", "t2")
    assert sorted(reg.release("a")) == ["t1", "t3"]
    assert reg.release("a") == []
    assert set(reg.topics_of("b")) == {"t2"} and reg.topic_count == 1


ops = st.lists(
    st.tuples(st.sampled_from(["add", "remove", "release"]), st.sampled_from("abc"), st.sampled_from("xyz")),
    max_size=60,
)


@given(ops)
def test_both_directions_agree_with_a_naive_model_and_first_last_balance(steps: list[tuple[str, str, str]]) -> None:
    reg: Registry[str] = Registry()
    model: dict[str, set[str]] = {}
    live = 0
    for op, conn, topic in steps:
        if op == "add":
            live += reg.add(conn, topic) is Added.FIRST
            model.setdefault(conn, set()).add(topic)
        elif op == "remove":
            live -= reg.remove(conn, topic) is Removed.LAST
            model.get(conn, set()).discard(topic)
        else:
            live -= len(reg.release(conn))
            model.pop(conn, None)
        topics = {t for held in model.values() for t in held}
        assert live == reg.topic_count == len(topics)
        for t in "xyz":
            assert set(reg.holders(t)) == {c for c, held in model.items() if t in held}
        for c in "abc":
            assert set(reg.topics_of(c)) == model.get(c, set())
