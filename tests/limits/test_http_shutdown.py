"""SIGTERM on a real server process (issue 21, item 5): a request whose body is still arriving
is answered 503 with ``Connection: close`` at once (aiohttp stops reading every connection when
it stops, so the body could never complete); idle connections are closed; the process exits 0."""

from __future__ import annotations

import asyncio
import json
import signal
import time

from bench.attack_http import HEALTH, Server, post_head


async def test_sigterm_answers_a_request_mid_body_503_with_connection_close_and_exits_0() -> None:
    server = Server().start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(post_head(100) + b'{"symbol":')
        idle_reader, idle_writer = await asyncio.open_connection("127.0.0.1", server.port)
        idle_writer.write(f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        assert (await idle_reader.readuntil(b"\r\n\r\n")).startswith(b"HTTP/1.1 200")
        await asyncio.sleep(0.5)  # the head is parsed, the handler waits for the rest of the body
        started = time.monotonic()
        assert server.proc is not None
        server.proc.send_signal(signal.SIGTERM)
        answer = await asyncio.wait_for(reader.read(), 10)
        answered_in = time.monotonic() - started
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 503 Service Unavailable"), answer
        assert b"\r\nConnection: close" in head and b"\r\nContent-Type: application/json" in head
        assert json.loads(body) == {"detail": "Server shutting down: request body not read"}
        assert answered_in < 3.0, "at once, not after the 5 s shutdown timeout"
        await asyncio.wait_for(idle_reader.read(), 10)  # the idle keep-alive connection: closed
        for w in (writer, idle_writer):
            w.close()
        assert await asyncio.to_thread(server.proc.wait, 30) == 0
    finally:
        server.__exit__()
