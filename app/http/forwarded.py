"""``TRUSTED_PROXIES``: the client address behind a gateway, from ``X-Forwarded-For``.

Behind the cluster's nginx every request comes from the gateway's address, so per-address limits
(app/accounts/gate.py reads ``request.remote``) would put every client in one bucket. A request
whose peer is a trusted proxy gets, as ``remote``, the right-most address of its
``X-Forwarded-For`` that is not itself a trusted proxy: the entries to its left were written by
the client and prove nothing. A request from any other peer keeps its peer address, whatever
header it sends, so a client reaching an instance directly cannot choose its own address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """``127.0.0.1,10.0.0.0/8``; ValueError naming the bad entry."""
    networks = []
    for item in value.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise ValueError(f"TRUSTED_PROXIES must list IP addresses or networks, not {item.strip()!r}") from None
    return tuple(networks)


def _within(address: str, networks: Sequence[Network]) -> bool | None:
    """True/False; None when ``address`` is not an IP address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, networks: Sequence[Network]) -> str:
    for entry in reversed(forwarded_for.split(",")):
        address = entry.strip()
        trusted = _within(address, networks)
        if trusted is None:
            return peer  # a malformed hop: believe nothing further left
        if not trusted:
            return address
    return peer


def forwarded_middleware(networks: Sequence[Network]) -> Middleware:
    trusted = tuple(networks)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        peer = request.remote
        header = request.headers.get("X-Forwarded-For")
        if peer is None or not header or not _within(peer, trusted):
            return await handler(request)
        return await handler(request.clone(remote=client_address(peer, header, trusted)))

    return middleware
