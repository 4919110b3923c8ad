"""A faster ``__init__`` for the frozen, slotted dataclasses built on every order.

A frozen dataclass's generated ``__init__`` sets each field through ``object.__setattr__``
(looked up and called per field): about 0.23 µs a field, 4 µs for a PlacedOrder, and a
placed order builds five such objects. Calling each slot's own descriptor is twice as fast and
keeps everything else the decorator made: the instances stay frozen (assignment still raises
``FrozenInstanceError``), equal, hashable and ``dataclasses.fields``/``replace`` work as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields
from typing import Any, TypeVar, cast

C = TypeVar("C", bound=type)
T = TypeVar("T")


def quick_init(cls: C) -> C:
    """Replace ``cls.__init__`` (same parameters, defaults and ``__post_init__`` call)."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    if not (params.frozen and "__slots__" in cls.__dict__):
        raise TypeError(f"{cls.__name__} is not a frozen slotted dataclass")
    namespace: dict[str, Any] = {}
    arguments, lines = [], []
    for f in fields(cls):
        if not f.init or f.kw_only or f.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: only positional fields with plain defaults")
        if f.default is MISSING:
            arguments.append(f.name)
        else:
            namespace[f"d_{f.name}"] = f.default
            arguments.append(f"{f.name}=d_{f.name}")
        namespace[f"s_{f.name}"] = cls.__dict__[f.name].__set__
        lines.append(f"    s_{f.name}(self, {f.name})\n")
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()\n")
    source = f"def __init__(self, {', '.join(arguments)}):\n{''.join(lines) or '    pass'}\n"
    exec(compile(source, f"<quick_init {cls.__name__}>", "exec"), namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)
    return cls


def quick_make(cls: Callable[..., T]) -> Callable[..., T]:
    """A positional constructor of the frozen slotted dataclass ``cls`` for the objects built on
    every order (a placement's event and snapshot, the request's objects): the same parameters
    and defaults as ``cls(...)`` and an equal object of type ``cls``, in a third of the
    instructions (callgrind, 13 fields: 10,800 for ``cls(...)`` with ``quick_init``, 4,200).

    ``cls(...)`` pays for the class call (``type.__call__`` reaches a Python ``__init__`` by its
    slowest path) and, frozen, for a descriptor call per field. This builds the object as an
    instance of a mutable twin with the very same slots, stores the fields directly, then gives
    it its class (``__class__`` assignment between classes of identical layout, checked here
    once). The instance is then exactly one ``cls(...)`` makes: frozen, equal, hashable."""
    made = _MAKERS.get(cls)
    if made is not None:
        return cast("Callable[..., T]", made)
    kind = cast(type, cls)
    params = getattr(kind, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in kind.__dict__ or kind.__bases__ != (object,):
        raise TypeError(f"{kind.__name__} is not a frozen slotted dataclass of its own")
    if hasattr(kind, "__post_init__"):
        raise TypeError(f"{kind.__name__} has a __post_init__")
    slots = kind.__dict__["__slots__"]
    twin = type(f"{kind.__name__}Builder", (), {"__slots__": slots, "__module__": kind.__module__})
    probe: Any = object.__new__(twin)
    probe.__class__ = kind  # TypeError here if the layouts differ
    namespace: dict[str, Any] = {"new": object.__new__, "Twin": twin, "Cls": kind}
    arguments, lines = [], []
    for f in fields(kind):
        if not f.init or f.kw_only or f.default_factory is not MISSING:
            raise TypeError(f"{kind.__name__}.{f.name}: only positional fields with plain defaults")
        if f.default is MISSING:
            arguments.append(f.name)
        else:
            namespace[f"d_{f.name}"] = f.default
            arguments.append(f"{f.name}=d_{f.name}")
        lines.append(f"    self.{f.name} = {f.name}\n")
    source = (f"def make({', '.join(arguments)}):\n    self = new(Twin)\n{''.join(lines)}"
              "    self.__class__ = Cls\n    return self\n")
    exec(compile(source, f"<quick_make {kind.__name__}>", "exec"), namespace)
    make: Callable[..., T] = namespace["make"]
    _MAKERS[cls] = make
    return make


_MAKERS: dict[object, Callable[..., Any]] = {}
