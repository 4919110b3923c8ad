"""Waiting on a condition, never on a guessed delay.

A fixed sleep is too long on an idle machine and too short on a busy one (CI shares its cores);
these helpers return as soon as the condition holds and fail, naming it, after a bound. The one
deliberate wait, "nothing arrives within X", is :func:`assert_silent`, so it reads as the
point of its test rather than as synchronization.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from aiohttp import ClientWebSocketResponse, WSMsgType

T = TypeVar("T")
Message = dict[str, Any]


async def wait_until(
    predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.005, what: str = ""
) -> T:
    """The first truthy value of ``predicate()``, polled every ``interval`` seconds;
    AssertionError after ``timeout``."""
    async def check() -> T:
        return predicate()
    return await wait_until_async(check, timeout, interval, what or repr(predicate))


async def wait_until_async(
    predicate: Callable[[], Awaitable[T]], timeout: float = 5.0, interval: float = 0.005, what: str = ""
) -> T:
    """:func:`wait_until` for a condition that must itself await (a REST call)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"not reached within {timeout} s: {what or predicate!r} (last: {value!r})")
        await asyncio.sleep(interval)


def poll_until(
    predicate: Callable[[], T], timeout: float, interval: float = 0.02, what: str = "",
    tolerate: tuple[type[BaseException], ...] = (),
) -> T:
    """Blocking :func:`wait_until`, for subprocesses and browsers; exceptions of the types in
    ``tolerate`` count as "not yet"."""
    deadline = time.monotonic() + timeout
    last: object = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except tolerate as exc:
            last = exc
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s: {what or predicate!r} (last: {last!r})")
        time.sleep(interval)


async def receive_until(
    ws: ClientWebSocketResponse, match: Callable[[Message], bool], timeout: float = 5.0
) -> list[Message]:
    """Every JSON message received up to and including the first one ``match`` accepts."""
    received: list[Message] = []
    async with asyncio.timeout(timeout):
        while True:
            msg = await ws.receive()
            assert msg.type is WSMsgType.TEXT, f"socket ended before a matching message: {msg} after {received}"
            received.append(orjson.loads(msg.data))
            if match(received[-1]):
                return received


def typed(kind: str, **payload: Any) -> Callable[[Message], bool]:
    """A :func:`receive_until` matcher: a message of type ``kind`` whose payload has these items."""
    def match(message: Message) -> bool:
        body = message.get("payload")
        return message.get("type") == kind and isinstance(body, dict) and all(
            body.get(k) == v for k, v in payload.items())
    return match


async def assert_silent(ws: ClientWebSocketResponse, seconds: float) -> None:
    """The socket delivers nothing for ``seconds`` (a wait that is the point of its test)."""
    try:
        msg = await asyncio.wait_for(ws.receive(), seconds)
    except asyncio.TimeoutError:
        return
    raise AssertionError(f"expected silence for {seconds} s, got {msg}")
