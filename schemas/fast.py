"""Hot-path loaders compiled from a schema's fields: ``PreOrderSchema().load`` without marshmallow.

`compile_loader` walks the schema once, at import, and writes one Python function for it: per
field, in declaration order, the wire key, what an absent key means (``Field required``, the
``load_default``, or nothing), what ``null`` means (allowed, or the field's own ``null``
message), the conversion the field itself runs (the shared functions of `schemas.fields` and
`schemas.enums`) and its validators. Errors are collected in marshmallow's message shape and
mapped by the same `validation_items`, so result and 422 items are those of ``schema.load``
(tests/schemas/test_fast.py and test_serializers.py check it with hypothesis), and a field added
to the schema is loaded here with no further edit. A field type the compiler does not know, or a
schema-level hook, fails at import. Generated like `schemas.serializers`, for the same reason:
it runs once per ``POST /orders``, and straight-line code with the common cases inline (an int
member, a finite float, a str) costs less than a loop over a field table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import typing
from dataclasses import fields as dataclass_fields
from typing import Any

import marshmallow
from marshmallow import Schema, ValidationError, fields

from schemas.broker import PreOrderSchema
from schemas.enums import WireEnum, to_member
from schemas.errors import RequestInvalid, validation_items
from schemas.fields import (
    GreaterThan,
    GreaterThanEqual,
    WireFloat,
    WireInt,
    WireNested,
    WireStr,
    to_float,
    to_int,
    to_str,
)
from schemas.problems import MODEL_TYPE
from schemas.serializers import attribute_name as _attribute

Loader = Callable[[object], dict[str, Any]]
_EXACT_INT = 2**53
"""Integers up to this convert to float exactly (and never overflow): inline, as to_float would."""


def compile_loader(schema: Schema) -> Loader:
    """The loader of ``schema``'s dict bodies; raises `RequestInvalid` with the 422 items."""
    return _Writer().loader(schema, top=True)


def compile_bound_loader(schema: Schema, target: type, *, convert: Mapping[str, Callable[[Any], Any]] | None = None,
                         rest: tuple[str, ...] = (), build: Callable[[type], Callable[..., Any]] | None = None,
                         ) -> Callable[[object], tuple[Any, ...]]:
    """``load`` and the binder in one function: ``(target(...), *rest values)``, the target
    built positionally (in its dataclass field order) from the loaded values, each wire key
    to the field of its snake-case name, through ``convert[wire key]`` when given (for a value
    that is not None: None stays None); ``rest``:
    wire keys returned beside it instead; ``build``: the constructor used for the target and
    each group class (default: the class itself). Same 422 items as the loader; no dict in between
    (``load_pre_order`` then ``wire.order_request`` built a dict, read it back and called
    the target with keywords, which packs and unpacks a second one)."""
    return _Writer().bound(schema, target, dict(convert or {}), rest, build or _itself)


def _itself(cls: type) -> Callable[..., Any]:
    return cls


def _nullable_none(field: fields.Field) -> bool:
    """An optional field whose absence and null both load as None."""
    return not field.required and field.allow_none and field.load_default is None


class _Writer:
    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {
            "Mapping": Mapping, "ValidationError": ValidationError, "RequestInvalid": RequestInvalid,
            "validation_items": validation_items, "MODEL_TYPE": MODEL_TYPE, "ABSENT": object(),
        }

    def constant(self, value: object) -> str:
        """A name in the generated code's namespace bound to ``value``."""
        name = f"k{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def loader(self, schema: Schema, top: bool) -> Loader:
        """``schema.load`` for one object. A nested loader raises marshmallow's ``ValidationError``
        (its parent files the messages under the field); the top one raises the 422 itself."""
        if any(schema._hooks.values()):
            raise TypeError(f"{type(schema).__name__} has schema-level hooks; the fast loader has none")
        fail = ("raise RequestInvalid(validation_items(ValidationError({e}), 'body', data))" if top
                else "raise ValidationError({e})")
        lines = [
            "def load(data):",
            "    if type(data) is not dict and not isinstance(data, Mapping):",
            "        " + fail.format(e='{"_schema": [MODEL_TYPE]}'),
            "    get = data.get",
            "    r = {}",
            "    errors = None",
        ]
        for name, field in schema.fields.items():
            lines += self.field(field.data_key or name, field)
        lines += ["    if errors is not None:", "        " + fail.format(e="errors"), "    return r"]
        namespace = dict(self.namespace)
        exec(compile("\n".join(lines) + "\n", f"<loader {type(schema).__name__}>", "exec"), namespace)
        function: Loader = namespace["load"]
        return function

    def bound(self, schema: Schema, target: type, convert: dict[str, Callable[[Any], Any]],
              rest: tuple[str, ...], build: Callable[[type], Callable[..., Any]],
              ) -> Callable[[object], tuple[Any, ...]]:
        if any(schema._hooks.values()):
            raise TypeError(f"{type(schema).__name__} has schema-level hooks; the fast loader has none")
        fail = "raise RequestInvalid(validation_items(ValidationError({e}), 'body', data))"
        lines = [
            "def load(data):",
            "    if type(data) is not dict and not isinstance(data, Mapping):",
            "        " + fail.format(e='{"_schema": [MODEL_TYPE]}'),
            "    get = data.get",
            "    errors = None",
            "    left = len(data)",
        ]
        local: dict[str, str] = {}
        for name, field in schema.fields.items():
            key = field.data_key or name
            if not field.required and field.load_default is marshmallow.missing:
                raise TypeError(f"{type(schema).__name__}.{key}: neither required nor defaulted")
            local[key] = f"f{len(local)}"
            written = self.field(key, field, counted=True)
            if _nullable_none(field):
                # ``left`` counts the keys not yet taken (at least): at 0 the remaining fields
                # are absent, and cost a test each instead of a lookup (most PreOrder bodies)
                written = ["    if left:", *("    " + line for line in written),
                           "    else:", f"        r[{key!r}] = None"]
            lines += [line.replace(f"r[{key!r}]", local[key]) for line in written]
        by_attribute = {_attribute(key): key for key in local if key not in rest}
        unused = set(by_attribute)

        def arguments(cls: type) -> str:
            """``cls``'s positional arguments; a field with metadata ``flat`` is its group
            dataclass built from the group's own fields (app.broker.domain.terms)."""
            hints = typing.get_type_hints(cls)
            values = []
            for f in dataclass_fields(cls):
                if f.metadata.get("flat"):
                    values.append(f"{self.constant(build(hints[f.name]))}({arguments(hints[f.name])})")
                    continue
                key = by_attribute.get(f.name)
                if key is None:
                    raise TypeError(f"{type(schema).__name__} has no field for {cls.__name__}.{f.name}")
                unused.discard(f.name)
                value = local[key]
                values.append(f"(None if {value} is None else {self.constant(convert[key])}({value}))"
                              if key in convert else value)
            return ", ".join(values)

        built = f"{self.constant(build(target))}({arguments(target)})"
        if unused or set(convert) - set(by_attribute.values()):
            raise TypeError(f"{type(schema).__name__} fields {sorted(unused | set(convert))} have no "
                            f"place in {target.__name__}")
        returned = ", ".join([built, *(local[k] for k in rest)])
        lines += ["    if errors is not None:", "        " + fail.format(e="errors"), f"    return ({returned},)"]
        namespace = dict(self.namespace)
        exec(compile("\n".join(lines) + "\n", f"<bound loader {type(schema).__name__}>", "exec"), namespace)
        function: Callable[[object], tuple[Any, ...]] = namespace["load"]
        return function

    def field(self, key: str, field: fields.Field, counted: bool = False) -> list[str]:
        """``counted``: a present value takes one off ``left`` (the bound loader's count)."""
        error = "errors = errors or {}; errors[%r] = " % key
        default = field.load_default
        if _nullable_none(field):
            # absent and null mean the same: one lookup, no sentinel (most of PreOrder's fields)
            lines = [f"    v = get({key!r})", "    if v is None:", f"        r[{key!r}] = None"]
            return lines + self.present(key, field, error, counted)
        lines = [f"    v = get({key!r}, ABSENT)", "    if v is ABSENT:"]
        if field.required:
            lines.append(f"        {error}[{self.constant(field.error_messages['required'])}]")
        elif default is marshmallow.missing:
            lines.append("        pass")
        elif callable(default):
            lines.append(f"        r[{key!r}] = {self.constant(default)}()")
        else:
            lines.append(f"        r[{key!r}] = {self.constant(default)}")
        lines.append("    elif v is None:")
        if field.allow_none:
            lines.append(f"        r[{key!r}] = None")
        else:
            lines.append(f"        {error}[{self.constant(field.error_messages['null'])}]")
        return lines + self.present(key, field, error, counted)

    def present(self, key: str, field: fields.Field, error: str, counted: bool) -> list[str]:
        """The branch of a value that is there and not null: converted, checked, or its messages."""
        lines = ["    else:", *(["        left -= 1"] if counted else []), "        try:",
                 f"            x = {self.conversion(field)}"]
        lines += [f"            {check}" for check in self.checks(field)]
        lines += [f"            r[{key!r}] = x", "        except ValidationError as exc:"]
        lines.append(f"            {error}exc.messages")
        return lines

    def conversion(self, field: fields.Field) -> str:
        """The expression converting ``v``: the common case inline (an int that is a member, a
        finite float, a str), anything else through the field's own conversion function."""
        if isinstance(field, WireEnum):
            enum, problem = field.enum, field.problem
            slow = self.constant(lambda value: to_member(enum, problem, value))
            members = self.constant(enum._value2member_map_)
            return f"({members}.get(v) if type(v) is int else None) or {slow}(v)"
        if isinstance(field, WireFloat):  # v - v is 0.0 for every finite float, nan otherwise
            return (f"v if type(v) is float and v - v == 0.0 else float(v) if type(v) is int and "
                    f"-{_EXACT_INT} <= v <= {_EXACT_INT} else {self.constant(to_float)}(v)")
        if isinstance(field, WireStr):
            return f"v if type(v) is str else {self.constant(to_str)}(v)"
        if isinstance(field, WireInt):
            return f"{self.constant(to_int)}(v)"
        if isinstance(field, WireNested):
            return f"{self.constant(_Writer().loader(field.schema, top=False))}(v)"
        raise TypeError(f"the fast loader has no conversion for {type(field).__name__}")

    def checks(self, field: fields.Field) -> list[str]:
        """The field's validators, our two bounds written inline (``qty > 0`` is on the hot path)."""
        checks = []
        for validator in field.validators:
            if isinstance(validator, (GreaterThan, GreaterThanEqual)):
                operator = ">" if isinstance(validator, GreaterThan) else ">="
                # the bound inline; only a value that fails it calls the validator, which raises
                checks.append(f"if not x {operator} {validator.limit!r}: {self.constant(validator)}(x)")
            else:
                checks.append(f"{self.constant(validator)}(x)")
        return checks


load_pre_order = compile_loader(PreOrderSchema())
"""``PreOrderSchema().load(data)`` in a few µs; raises `RequestInvalid` with the same items."""
