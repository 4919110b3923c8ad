"""The routes of exact paths, resolved once per (method, path) instead of once per request.

aiohttp resolves every request afresh: ``Application._handle`` awaits the root router, which
walks the path's parts, awaits the module's prefixed resource, which awaits the module's
router, which awaits the resource; then it builds a match info and adds both applications to
it. For a route of a plain path (``POST /api/v1/broker/orders``) the answer depends on nothing
but the method and the path, so it is asked once, of aiohttp's own router, when the first
request comes, and kept: 27,000 instructions per ``POST /orders``, 8 % of the request
(bench/post_instructions.py, 322,300 → 295,500).

Kept only where that holds: every resource in the tree is one of aiohttp's own kinds whose
answer depends on the path and the method alone (no domain sub-applications, no custom
resources), no application of the tree has middlewares (aiohttp would wrap the handler in
them), and the path reads the same decoded (the router matches ``rel_url.path_safe``). A
route another resource shadows is not kept: the table holds what the router answered. Any
other request (a path with parameters, a 404, an ``Expect`` header) is resolved by aiohttp.
"""

from __future__ import annotations

from typing import Any, NoReturn, cast

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler
from aiohttp.web_urldispatcher import (
    AbstractResource,
    DynamicResource,
    PlainResource,
    PrefixedSubAppResource,
    StaticResource,
    UrlMappingMatchInfo,
)
from yarl import URL

Key = tuple[str, str]
"""(method, path)."""
Entry = tuple["SharedMatchInfo", Handler]

_PATH_ONLY = (PlainResource, DynamicResource, StaticResource, PrefixedSubAppResource)


class SharedMatchInfo(UrlMappingMatchInfo):
    """One route's match, given to every request of its (method, path): read-only, since a
    change would reach the next request."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a shared match info is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _read_only


class _Probe:
    """What the router reads of a request to resolve it, for the kinds of ``_PATH_ONLY``."""

    __slots__ = ("method", "rel_url")

    def __init__(self, method: str, path: str) -> None:
        self.method = method
        self.rel_url = URL.build(path=path, encoded=True)


class ExactRoutes:
    """``table``: None until the first request (the router is complete and frozen by then),
    then {(method, path): (match info, handler)}, empty when the tree does not qualify."""

    __slots__ = ("_app", "table")

    def __init__(self, app: web.Application) -> None:
        self._app = app
        self.table: dict[Key, Entry] | None = None

    async def build(self) -> dict[Key, Entry]:
        table: dict[Key, Entry] = {}
        plain = _plain_routes(self._app)
        for route in plain or ():
            path = route.resource.canonical  # type: ignore[union-attr]
            probe = _Probe(route.method, path)
            if probe.rel_url.path_safe != path:
                continue
            found = await self._app.router.resolve(cast(web.Request, probe))
            if found.route is not route:
                continue
            shared = SharedMatchInfo({}, route)
            for app in reversed(found.apps):
                shared.add_app(app)
            shared.add_app(self._app)
            shared.freeze()
            table[route.method, path] = shared, route.handler
        self.table = table
        return table


def _plain_routes(app: web.Application) -> list[web.AbstractRoute] | None:
    """The routes of plain paths in ``app``'s tree; None when the tree does not qualify."""
    if app.middlewares:
        return None
    routes: list[web.AbstractRoute] = []
    resource: AbstractResource
    for resource in app.router.resources():
        if type(resource) not in _PATH_ONLY:
            return None
        if isinstance(resource, PrefixedSubAppResource):
            inner = _plain_routes(resource.get_info()["app"])
            if inner is None:
                return None
            routes += inner
        elif isinstance(resource, PlainResource):
            routes += (route for route in resource if route.method != hdrs.METH_ANY)
    return routes
