"""Fast wire serializers compiled from the schemas, so a wire shape is declared once.

``dict_serializer(PlacedOrderSchema, PlacedOrder)`` returns a function that turns a
``PlacedOrder`` into its wire dict: one key per schema field, in schema order, each read from
the attribute of the same name in snake case (``limitPrice`` → ``limit_price``,
``unrealizedPL`` → ``unrealized_pl``; ``attrs`` overrides a name). Floats come out as ``float``
(so JSON prints ``1.0``), ints and enums as ``int``, lists as lists, nested schemas through
their own compiled serializer, and a nullable field as ``None`` when unset: every key is always
present, as CONTRACT §3 wants.

The function is generated Python source (one dict display, like the hand-written ``to_wire``
it replaces) because a per-field loop costs several times more on the hot paths
(``POST /orders`` publishes every order it creates). Compiling checks the table against the
class: an attribute the schema names that the dataclass lacks, or a dataclass field the
schema does not carry and ``internal`` does not name, fails at import, so a field added to one
side only cannot ship.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Collection, Mapping
from typing import Any

from marshmallow import Schema, fields

from schemas.enums import WireEnum
from schemas.fields import WireBool, WireDict, WireFloat, WireInt, WireList, WireNested, WireStr

Serializer = Callable[[Any], dict[str, Any]]

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def attribute_name(wire_name: str) -> str:
    """The domain attribute for a wire key: ``limitPrice`` → ``limit_price``, ``unrealizedPL`` →
    ``unrealized_pl``; snake-case names are their own attribute."""
    return _CAMEL_HUMP.sub("_", wire_name).lower()


def flat_paths(source: type) -> dict[str, str]:
    """The attributes a flat record of the dataclass ``source`` has, each with how to read it
    from an instance: a field's own name, or ``group.name`` for the fields of a ``flat`` group."""
    hints = typing.get_type_hints(source)
    paths: dict[str, str] = {}
    for f in dataclasses.fields(source):
        group = hints[f.name]
        if not f.metadata.get("flat"):
            found = {f.name: f.name}
        elif isinstance(group, type) and dataclasses.is_dataclass(group):
            found = {name: f"{f.name}.{path}" for name, path in flat_paths(group).items()}
        else:
            raise TypeError(f"{source.__name__}.{f.name} is flat but not a dataclass")
        if found.keys() & paths.keys():
            raise TypeError(f"{source.__name__}: {sorted(found.keys() & paths.keys())} stand twice")
        paths.update(found)
    return paths


def wire_fields(schema: Schema | type[Schema]) -> dict[str, fields.Field]:
    """The schema's fields by wire key (``data_key`` when set), in declaration order."""
    declared = schema.fields if isinstance(schema, Schema) else schema().fields
    return {field.data_key or name: field for name, field in declared.items()}


def dict_serializer(
    schema: Schema | type[Schema],
    source: type | None = None,
    *,
    attrs: Mapping[str, str] | None = None,
    internal: Collection[str] | None = (),
    nested: Mapping[type[Schema], type] | None = None,
    typed: bool = False,
) -> Serializer:
    """Compile ``schema`` into an ``object → wire dict`` function.

    ``source`` (a dataclass) is what the function reads; when given, its fields and the
    schema's must match (``internal``: fields the wire never shows; ``None`` when the source
    carries much more than the wire, such as a symbol's model parameters). ``nested`` names the
    dataclass each nested schema reads, checked the same way. ``typed``: the source's values
    already are the wire types (every float built as a float), so they are read as they are,
    for per-item hot paths such as 10,000 bars.
    """
    return _Compiler(nested or {}, typed).compile(schema, source, attrs or {}, internal)


def columns_serializer(schema: Schema | type[Schema], source: type) -> Callable[..., list[dict[str, Any]]]:
    """Compile ``(column, …) → [wire dict, …]``: one column per schema field, in the schema's
    order, each row's values as they are (the typed path: ``bar`` rows of a long intraday
    series, 10,000 at a time). ``source`` is the dataclass a row stands for: its fields must be
    the schema's, in the same order, so the columns a caller passes in that order line up."""
    table = list(wire_fields(schema))
    names = [attribute_name(wire) for wire in table]
    declared = [f.name for f in dataclasses.fields(source)]
    if names != declared:
        raise TypeError(f"{_name(schema)} fields {names} are not {source.__name__}'s {declared}")
    columns = ", ".join(f"c{i}" for i in range(len(table)))
    values = ", ".join(f"x{i}" for i in range(len(table)))
    row = ", ".join(f"{wire!r}: x{i}" for i, wire in enumerate(table))
    code = f"def rows({columns}):\n    return [{{{row}}} for {values} in zip({columns})]\n"
    namespace: dict[str, Any] = {}
    exec(compile(code, f"<rows {_name(schema)}>", "exec"), namespace)
    function: Callable[..., list[dict[str, Any]]] = namespace["rows"]
    function.__doc__ = f"Columns of {_name(schema)} as wire dicts (compiled by schemas.serializers)."
    return function


def kwargs_binder(
    schema: Schema | type[Schema],
    target: type,
    *,
    convert: Mapping[str, Callable[[Any], Any]] | None = None,
    skip: Collection[str] = (),
) -> Callable[[Mapping[str, Any]], Any]:
    """Compile ``loaded body → target(**fields)``, the reverse direction: each loaded value goes to
    the keyword of its snake-case name, through ``convert[wire key]`` when given. ``skip``: keys
    the target does not take. The target's fields and the schema's must match, as above."""
    convert = convert or {}
    table = [wire for wire in wire_fields(schema) if wire not in skip]
    if set(convert) - set(table):
        raise TypeError(f"{_name(schema)} has no fields {sorted(set(convert) - set(table))}")
    _check_source(schema, target, {attribute_name(wire) for wire in table}, ())
    paths = flat_paths(target)
    hints = typing.get_type_hints(target)
    namespace: dict[str, Any] = {"target": target}
    arguments: list[str] = []
    groups: dict[str, list[str]] = {}  # a flat group's keyword arguments, in the schema's order
    for wire in table:
        value = f"d[{wire!r}]"
        if wire in convert:
            namespace[f"c_{attribute_name(wire)}"] = convert[wire]
            value = f"c_{attribute_name(wire)}({value})"
        path = paths[attribute_name(wire)].split(".")
        if len(path) > 2:
            raise TypeError(f"{target.__name__}: the binder takes one level of flat groups")
        if len(path) == 2:
            if path[0] not in groups:
                groups[path[0]] = []
                namespace[f"g_{path[0]}"] = hints[path[0]]
                arguments.append(path[0])  # placeholder, filled below
            groups[path[0]].append(f"{path[1]}={value}")
        else:
            arguments.append(f"{path[0]}={value}")
    arguments = [f"{a}=g_{a}({', '.join(groups[a])})" if a in groups else a for a in arguments]
    code = f"def bind(d):\n    return target({', '.join(arguments)})\n"
    exec(compile(code, f"<binder {_name(schema)}>", "exec"), namespace)
    function: Callable[[Mapping[str, Any]], Any] = namespace["bind"]
    function.__doc__ = f"A loaded {_name(schema)} as {target.__name__} (compiled by schemas.serializers)."
    return function


class _Compiler:
    def __init__(self, nested: Mapping[type[Schema], type], typed: bool) -> None:
        self.nested = nested
        self.typed = typed
        self.namespace: dict[str, Any] = {}

    def compile(
        self,
        schema: Schema | type[Schema],
        source: type | None,
        attrs: Mapping[str, str],
        internal: Collection[str] | None,
    ) -> Serializer:
        table = wire_fields(schema)
        unknown = set(attrs) - set(table)
        if unknown:
            raise TypeError(f"{_name(schema)} has no fields {sorted(unknown)}")
        names = {wire: attrs.get(wire, attribute_name(wire)) for wire in table}
        paths: dict[str, str] = {}
        if source is not None:
            _check_source(schema, source, set(names.values()), internal)
            paths = flat_paths(source)
        lines = []
        entries = []
        groups: set[str] = set()
        for index, (wire, field) in enumerate(table.items()):
            if field.metadata.get("wire_optional"):
                raise TypeError(f"{_name(schema)}.{wire}: optional keys are not compiled")
            head, _, rest = paths.get(names[wire], names[wire]).partition(".")
            if rest:  # a flat group's field: the group read once
                if head not in groups:
                    groups.add(head)
                    lines.append(f"    g_{head} = o.{head}\n")
                read = f"g_{head}.{rest}"
            else:
                read = f"o.{head}"
            convert = self._conversion(field)
            if field.allow_none:
                lines.append(f"    v{index} = {read}\n")
                value = f"None if v{index} is None else {convert(f'v{index}')}"
            else:
                value = convert(read)
            entries.append(f"{wire!r}: {value}")
        code = f"def serialize(o):\n{''.join(lines)}    return {{{', '.join(entries)}}}\n"
        exec(compile(code, f"<serializer {_name(schema)}>", "exec"), self.namespace)
        function: Serializer = self.namespace.pop("serialize")
        function.__doc__ = f"The wire dict of {_name(schema)} (compiled by schemas.serializers)."
        return function

    def _conversion(self, field: fields.Field) -> Callable[[str], str]:
        """The expression that turns the attribute read ``expr`` into its wire value."""
        if isinstance(field, WireFloat) and not self.typed:
            return lambda expr: f"float({expr})"
        if isinstance(field, (WireInt, WireEnum)) and not self.typed:
            return lambda expr: f"int({expr})"
        if isinstance(field, (WireFloat, WireInt, WireEnum, WireStr, WireBool, WireDict)) or type(field) is fields.Raw:
            return lambda expr: expr
        if isinstance(field, WireNested):
            name = self._nested(field.schema)
            return lambda expr: f"{name}({expr})"
        if isinstance(field, WireList):
            item = self._conversion(field.inner)
            if item("x") == "x":
                return lambda expr: f"list({expr})"
            return lambda expr: f"[{item('x')} for x in {expr}]"
        raise TypeError(f"no wire conversion for {type(field).__name__}")

    def _nested(self, schema: Schema) -> str:
        function = _Compiler(self.nested, self.typed).compile(schema, self.nested.get(type(schema)), {}, ())
        name = f"_nested{len(self.namespace)}"
        self.namespace[name] = function
        return name


def _check_source(
    schema: Schema | type[Schema], source: type, read: set[str], internal: Collection[str] | None
) -> None:
    if not dataclasses.is_dataclass(source):
        raise TypeError(f"{source.__name__} is not a dataclass")
    declared = set(flat_paths(source))
    missing = read - declared
    unshown = set() if internal is None else declared - read - set(internal)
    if missing or unshown:
        raise TypeError(
            f"{_name(schema)} and {source.__name__} disagree: schema fields without an attribute "
            f"{sorted(missing)}, attributes the schema lacks {sorted(unshown)}"
        )


def _name(schema: Schema | type[Schema]) -> str:
    return schema.__name__ if isinstance(schema, type) else type(schema).__name__
