"""A WebSocket client on a bare socket with a tiny receive buffer that reads only when told.

aiohttp's own client keeps reading into its queue; this one really stops, so the server's
buffers fill up as they would for a stalled browser.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass

TEXT, CLOSE = 0x1, 0x8


@dataclass
class RawClient:
    sock: socket.socket
    buffer: bytes = b""

    @classmethod
    async def connect(cls, host: str, port: int, path: str = "/ws", rcvbuf: int = 4096) -> RawClient:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.setblocking(False)
        await loop.sock_connect(sock, (host, port))
        key = base64.b64encode(os.urandom(16)).decode()
        await loop.sock_sendall(sock, (
            f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode())
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = await loop.sock_recv(sock, 4096)
            assert chunk, "handshake: connection closed"
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        return cls(sock, rest)

    @property
    def local_address(self) -> tuple[str, int]:
        host, port = self.sock.getsockname()[:2]
        return host, port

    async def send_text(self, text: str) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        size = len(payload)
        if size < 126:
            header = struct.pack("!BB", 0x81, 0x80 | size)
        else:
            header = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        await asyncio.get_running_loop().sock_sendall(self.sock, header + mask + masked)

    async def frames(self, timeout: float = 10.0) -> list[tuple[int, bytes]]:
        """Read until the server closes the connection (or ``timeout``); every frame in order."""
        async with asyncio.timeout(timeout):
            while await self._read():
                pass
        return self._parse()

    async def frames_until(
        self, done: Callable[[list[tuple[int, bytes]]], bool], timeout: float = 10.0
    ) -> list[tuple[int, bytes]]:
        """Read until ``done(frames so far)`` holds."""
        async with asyncio.timeout(timeout):
            while not done(self._parse(consume=False)):
                assert await self._read(), "connection closed early"
        return self._parse()

    async def _read(self) -> bool:
        """One chunk more into the buffer; False once the server has closed."""
        try:
            chunk = await asyncio.get_running_loop().sock_recv(self.sock, 65536)
        except ConnectionResetError:
            return False
        self.buffer += chunk
        return bool(chunk)

    def _parse(self, consume: bool = True) -> list[tuple[int, bytes]]:
        out: list[tuple[int, bytes]] = []
        data, pos = self.buffer, 0
        while len(data) - pos >= 2:
            opcode, size = data[pos] & 0x0F, data[pos + 1] & 0x7F
            head = 2
            if size == 126:
                if len(data) - pos < 4:
                    break
                size, head = struct.unpack_from("!H", data, pos + 2)[0], 4
            elif size == 127:
                if len(data) - pos < 10:
                    break
                size, head = struct.unpack_from("!Q", data, pos + 2)[0], 10
            if len(data) - pos < head + size:
                break
            out.append((opcode, data[pos + head: pos + head + size]))
            pos += head + size
        if consume:
            self.buffer = data[pos:]
        return out

    def close(self) -> None:
        self.sock.close()
