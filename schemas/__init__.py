"""Marshmallow schemas: the wire contract, one module per business topic.

Modules: `common` (meta, success, error bodies), `broker`, `datafeed`, `ws` (WebSocket payloads),
`enums` (the field for the domain's integer enums), `fields` (lax input fields), `problems`
(pydantic error types), `errors` (422 items and the one 422 exception), `limits` (request
limits), `serializers` (fast wire dicts compiled from a schema), `fast` (loaders compiled from a
schema: ``PreOrder`` for ``POST /orders``), `base` (`WireSchema`).

Rules every schema follows:

- Component name = class name minus the ``Schema`` suffix (``PreOrderSchema`` → ``PreOrder``,
  ``SubscriptionUpdate_Bar_Schema`` → ``SubscriptionUpdate_Bar_``): the rule of apispec's and
  apigami's default name resolver, so no explicit names are needed. Query-parameter schemas
  (``*QuerySchema``) are expanded into parameters, never components.
- Fields are declared in wire order (CONTRACT §3); marshmallow keeps declaration order, and
  ``tests.contract.assert_wire`` holds responses to it. (``Meta.ordered`` is deprecated in
  marshmallow 3.26 and would warn, so it is not set.)
- Derive from `schemas.base.WireSchema` and use the ``Wire*`` fields: unknown keys are ignored,
  numeric strings load as numbers, non-finite numbers are refused, every error is a
  `schemas.problems.Problem` that `schemas.errors.validation_items` turns into pydantic's item.
- Required on input = required in the original's documents; optional inputs use
  ``load_default`` (``None`` for nullable ones) so a loaded dict always has every key.
  On output every declared key is present, nullable ones as ``null``.
- Schema instances are costly to create: build them once (module constants) and reuse them.
"""
