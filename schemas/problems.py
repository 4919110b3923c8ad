"""Validation messages that carry pydantic's machine-readable error type.

Marshmallow stores error messages as strings. A `Problem` *is* such a string (its text is
pydantic's ``msg``), so marshmallow stores, merges and nests it untouched, while the 422 mapper
(`schemas.errors`) reads ``type`` and ``ctx`` back from it. Fields raise Problems through their
``error_messages`` and validators; any plain marshmallow string that still reaches the mapper is
reported as a ``value_error``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Problem(str):
    """A pydantic-v2 style error: ``str(problem)`` is the ``msg``."""

    type: str
    ctx: dict[str, object] | None

    def __new__(cls, type_: str, msg: str, ctx: dict[str, object] | None = None) -> Problem:
        problem = super().__new__(cls, msg)
        problem.type = type_
        problem.ctx = ctx
        return problem

    def format(self, *args: object, **kwargs: Any) -> str:
        """Marshmallow formats messages before raising them; a Problem is already final."""
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Problem, (self.type, str(self), self.ctx))

    def __deepcopy__(self, memo: dict[int, object]) -> Problem:
        """Schemas deep-copy their fields per instance; a Problem is never mutated."""
        return self


MISSING = Problem("missing", "Field required")
FLOAT_TYPE = Problem("float_type", "Input should be a valid number")
FLOAT_PARSING = Problem("float_parsing", "Input should be a valid number, unable to parse string as a number")
INT_TYPE = Problem("int_type", "Input should be a valid integer")
INT_PARSING = Problem("int_parsing", "Input should be a valid integer, unable to parse string as an integer")
INT_FROM_FLOAT = Problem(
    "int_from_float", "Input should be a valid integer, got a number with a fractional part"
)
FINITE_NUMBER = Problem("finite_number", "Input should be a finite number")
STRING_TYPE = Problem("string_type", "Input should be a valid string")
BOOL_TYPE = Problem("bool_type", "Input should be a valid boolean")
LIST_TYPE = Problem("list_type", "Input should be a valid list")
DICT_TYPE = Problem("dict_type", "Input should be a valid dictionary")
MODEL_TYPE = Problem(
    "model_attributes_type", "Input should be a valid dictionary or object to extract fields from"
)


def expected_text(choices: Sequence[str]) -> str:
    """pydantic's enumeration of choices: ``1, 2, 3 or 4``."""
    if len(choices) == 1:
        return choices[0]
    return ", ".join(choices[:-1]) + " or " + choices[-1]


def enum_problem(values: Sequence[int]) -> Problem:
    expected = expected_text([str(v) for v in values])
    return Problem("enum", f"Input should be {expected}", {"expected": expected})


def literal_problem(values: Sequence[str]) -> Problem:
    expected = expected_text([repr(v) for v in values])
    return Problem("literal_error", f"Input should be {expected}", {"expected": expected})


def greater_than(limit: int) -> Problem:
    return Problem("greater_than", f"Input should be greater than {limit}", {"gt": limit})


def greater_than_equal(limit: int) -> Problem:
    return Problem("greater_than_equal", f"Input should be greater than or equal to {limit}", {"ge": limit})


def too_long(max_length: int, actual_length: int) -> Problem:
    return Problem(
        "too_long",
        f"List should have at most {max_length} items after validation, not {actual_length}",
        {"field_type": "List", "max_length": max_length, "actual_length": actual_length},
    )
