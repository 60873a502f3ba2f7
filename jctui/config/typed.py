"""The strict TOML-table -> dataclass builder: every key checked against the type hints.

An unknown key, a wrong type, a bad value or a missing required key is a one-line
ConfigError naming the file, the dotted key and the problem; a document nesting deeper
than any config is refused before it is walked (iteratively: no deep recursion).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import TYPE_CHECKING, Any, Literal, TypeVar, get_args, get_origin

from jctui.errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
MAX_NESTING = 32  # a jctui config nests 4 deep; a document nesting deeper is not a config


def config_depth(value: Any, key: str = "") -> tuple[int, str]:
    """How deep `value` (a parsed TOML document) nests tables and arrays, and the dotted key
    of its deepest part (iterative: a deep document must not exhaust the stack)."""
    deepest, deepest_key = 0, key
    stack: list[tuple[Any, int, str]] = [(value, 0, key)]
    while stack:
        item, depth, dotted = stack.pop()
        if depth > deepest:
            deepest, deepest_key = depth, dotted
        if depth > MAX_NESTING:
            break
        if isinstance(item, dict):
            stack += [(v, depth + 1, _dotted(dotted, str(k))) for k, v in item.items()]
        elif isinstance(item, list):
            stack += [(v, depth + 1, f"{dotted}[{i}]") for i, v in enumerate(item)]
    return deepest, deepest_key


def check_nesting(data: dict[str, Any], where: str) -> None:
    """A document nesting deeper than MAX_NESTING is refused, naming the key."""
    depth, key = config_depth(data)
    if depth > MAX_NESTING:
        top = key.split(".", 1)[0].split("[", 1)[0]
        raise ConfigError(
            f"{where}: {top}: tables or arrays nested more than {MAX_NESTING} deep "
            "(a jctui config nests at most 4)"
        )


def build_dataclass(
    cls: type[T],
    table: dict[str, Any],
    where: str,
    prefix: str = "",
    hidden: frozenset[str] = frozenset(),
) -> T:
    """Build dataclass `cls` from a TOML table, checking every key against its type hints.

    `prefix` is the dotted key of the table (for messages); `hidden` names fields that a
    file may not set (they count as unknown keys and are not listed as known ones).
    """
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        dotted = _dotted(prefix, key)
        if key not in fields or key in hidden:
            known = ", ".join(n for n in fields if n not in hidden)
            raise ConfigError(f"{where}: {dotted}: unknown key (known keys: {known})")
        kwargs[key] = _convert(hints[key], value, where, dotted)
    for name, f in fields.items():
        if (
            name not in kwargs
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ):
            raise ConfigError(f"{where}: {_dotted(prefix, name)}: missing required key")
    return cls(**kwargs)


def _dotted(prefix: str, key: str) -> str:
    """The dotted key of `key` inside the table at `prefix` ("" at the top level)."""
    return f"{prefix}.{key}" if prefix else key


def _type_name(tp: Any) -> str:
    """How a type hint reads in a message: "a string", "'csv' | 'json'", "a list of ..."."""
    origin = get_origin(tp)
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _convert(tp: Any, value: Any, where: str, key: str) -> Any:
    """Check `value` against the type hint `tp`; return it converted (lists -> tuples)."""
    origin = get_origin(tp)
    bad = ConfigError(f"{where}: {key}: expected {_type_name(tp)}, got {_describe(value)}")
    if origin is Literal:
        if value not in get_args(tp):
            raise bad
        return value
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in get_args(tp) if a is not type(None)]
        return _convert(inner[0], value, where, key)
    if origin is tuple:
        if not isinstance(value, list):
            raise bad
        item_tp = get_args(tp)[0]
        return tuple(_convert(item_tp, v, where, f"{key}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise bad
        val_tp = get_args(tp)[1]
        return {str(k): _convert(val_tp, v, where, f"{key}.{k}") for k, v in value.items()}
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):  # a nested table
        if not isinstance(value, dict):
            raise bad
        return build_dataclass(tp, value, where, key)
    if tp is bool:
        if not isinstance(value, bool):
            raise bad
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise bad
        return value
    raise bad  # pragma: no cover - a type hint this validator does not know


def _describe(value: Any) -> str:
    """How a TOML value reads in a message: "string 'x'", "boolean true", "a table"."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"string {value!r}"
    return f"{type(value).__name__} {value!r}"
