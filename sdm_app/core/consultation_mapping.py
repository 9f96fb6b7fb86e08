"""A consultation as plain data (dicts, lists, text, numbers, booleans and None) and
back, for JSON files such as the take-home copy (``services.take_home``).

The fields are read from the dataclasses themselves, with their type hints, so a field
added to ``Consultation`` (or to a value it holds) travels without a change here, as
long as its type is made of: text, numbers, booleans, ``StrEnum`` values, dates and
times, tuples and lists, dicts, frozen dataclasses, NamedTuples and ``X | None``. A
value that has its own plain mapping (test results, written options, reasons, others
involved: the mappings user.db uses) goes through that mapping (``_CODECS``).

The consultation's ``id`` and ``revision`` belong to the copy of the app that stored
it, not to the consultation: they are left out, and read back as ``None`` and "".

Reading is lenient the way ``result_from_mapping`` is: keys it does not know (a newer
release's fields) are ignored, and a value of the wrong type or an unknown enum value
leaves its field at the default. Only a field with no default that cannot be read
(the consultation's dates) makes the mapping unreadable: ``ValueError``.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from sdm_app.core.consultation import Consultation
from sdm_app.core.deliberation import (
    OtherPerson,
    Reason,
    other_from_mapping,
    other_to_mapping,
    reason_from_mapping,
    reason_to_mapping,
)
from sdm_app.core.results import TestResult, result_from_mapping, result_to_mapping
from sdm_app.core.written_options import (
    WrittenOptions,
    written_options_from_mapping,
    written_options_to_mapping,
)

# Fields of a stored consultation that only its own database understands.
LOCAL_FIELDS = frozenset({"id", "revision"})


class _Unreadable(Exception):
    """A plain value that does not fit the type it should have."""


def _result_from(data: Any) -> TestResult | None:
    return result_from_mapping(data) if isinstance(data, dict) else None


# Types with a plain mapping of their own: (to plain, from plain; None when unreadable).
_CODECS: dict[type, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    TestResult: (result_to_mapping, _result_from),
    WrittenOptions: (written_options_to_mapping, written_options_from_mapping),
    Reason: (reason_to_mapping, reason_from_mapping),
    OtherPerson: (other_to_mapping, other_from_mapping),
}


def consultation_to_mapping(consultation: Consultation) -> dict[str, Any]:
    """Every field but ``id`` and ``revision``, as plain data ready for ``json.dumps``."""
    return {
        field.name: to_plain(getattr(consultation, field.name))
        for field in dataclasses.fields(consultation)
        if field.name not in LOCAL_FIELDS
    }


def consultation_from_mapping(data: object) -> Consultation:
    """The inverse of ``consultation_to_mapping``: a consultation not yet stored
    (``id`` None, no revision). ``ValueError`` when ``data`` is not a consultation."""
    if not isinstance(data, dict):
        raise ValueError("a consultation is a mapping of its fields")
    known = {key: value for key, value in data.items() if key not in LOCAL_FIELDS}
    try:
        made = _dataclass_from(Consultation, known, fixed={"id": None})
    except _Unreadable as error:
        raise ValueError(f"not a readable consultation ({error})") from None
    assert isinstance(made, Consultation)
    return made


def to_plain(value: object) -> Any:
    """``value`` as JSON-ready data; ``TypeError`` for a type this module cannot write."""
    if value is None or isinstance(value, bool | int | float | str):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return to_plain(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    codec = _CODECS.get(type(value))
    if codec is not None:
        return to_plain(codec[0](value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return {name: to_plain(item) for name, item in zip(value._fields, value, strict=True)}
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(to_plain(key)): to_plain(item) for key, item in value.items()}
    raise TypeError(f"a {type(value).__name__} cannot be written as plain data")


def from_plain(hint: Any, value: Any) -> Any:
    """``value`` read as ``hint`` (a type or a type hint); ``_Unreadable`` when it does
    not fit."""
    if hint is Any:
        return value
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return _union_from(get_args(hint), value)
    if origin is Literal:
        if value in get_args(hint):
            return value
        raise _Unreadable(f"not one of {get_args(hint)!r}")
    if origin in (tuple, list):
        return _sequence_from(origin, get_args(hint), value)
    if origin is dict:
        return _dict_from(get_args(hint), value)
    if isinstance(hint, type):
        return _type_from(hint, value)
    raise _Unreadable(f"no reader for {hint!r}")


def _union_from(options: tuple[Any, ...], value: Any) -> Any:
    if value is None and type(None) in options:
        return None
    for option in options:
        if option is type(None):
            continue
        try:
            return from_plain(option, value)
        except _Unreadable:
            continue
    raise _Unreadable("fits none of its types")


def _sequence_from(origin: Any, items: tuple[Any, ...], value: Any) -> Any:
    if not isinstance(value, list):
        raise _Unreadable("not a list")
    if origin is tuple and not (len(items) == 2 and items[1] is Ellipsis):
        if len(items) != len(value):  # a fixed-length tuple: every item or nothing
            raise _Unreadable("not the expected number of items")
        return tuple(from_plain(hint, item) for hint, item in zip(items, value, strict=True))
    hint = items[0] if items else Any
    found = []
    for item in value:  # an item that cannot be read is left out, not the whole list
        try:
            found.append(from_plain(hint, item))
        except _Unreadable:
            continue
    return tuple(found) if origin is tuple else found


def _dict_from(items: tuple[Any, ...], value: Any) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise _Unreadable("not a mapping")
    key_hint, value_hint = items if len(items) == 2 else (Any, Any)
    found: dict[Any, Any] = {}
    for key, item in value.items():
        try:
            found[from_plain(key_hint, key)] = from_plain(value_hint, item)
        except _Unreadable:
            continue
    return found


def _type_from(hint: type, value: Any) -> Any:
    if issubclass(hint, Enum):
        try:
            return hint(value)
        except ValueError:
            raise _Unreadable(f"not a {hint.__name__}") from None
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is Decimal:
        if isinstance(value, str):
            try:
                return Decimal(value)
            except ArithmeticError:
                pass
    elif hint in (datetime, date):
        if isinstance(value, str):
            try:
                return hint.fromisoformat(value)  # type: ignore[attr-defined]
            except ValueError:
                pass
    elif hint in _CODECS:
        found = _CODECS[hint][1](value)
        if found is not None:
            return found
    elif dataclasses.is_dataclass(hint):
        return _dataclass_from(hint, value)
    elif issubclass(hint, tuple) and hasattr(hint, "_fields"):
        return _named_tuple_from(hint, value)
    raise _Unreadable(f"not a {hint.__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _dataclass_from(cls: type, value: Any, fixed: dict[str, Any] | None = None) -> Any:
    if not isinstance(value, dict):
        raise _Unreadable(f"{cls.__name__} is not a mapping")
    hints = _hints(cls)
    arguments: dict[str, Any] = dict(fixed or {})
    for field in dataclasses.fields(cls):
        if not field.init or field.name in arguments:
            continue
        if field.name in value:
            try:
                arguments[field.name] = from_plain(hints[field.name], value[field.name])
                continue
            except _Unreadable:
                pass
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            raise _Unreadable(f"{cls.__name__}.{field.name} is missing or unreadable")
    return cls(**arguments)


def _named_tuple_from(cls: type, value: Any) -> Any:
    if not isinstance(value, dict):
        raise _Unreadable(f"{cls.__name__} is not a mapping")
    hints = _hints(cls)
    defaults: dict[str, Any] = getattr(cls, "_field_defaults", {})
    arguments: dict[str, Any] = {}
    for name in getattr(cls, "_fields", ()):
        if name in value:
            try:
                arguments[name] = from_plain(hints.get(name, Any), value[name])
                continue
            except _Unreadable:
                pass
        if name not in defaults:
            raise _Unreadable(f"{cls.__name__}.{name} is missing or unreadable")
    return cls(**arguments)
