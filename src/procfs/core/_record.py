"""Immutable, cheap record classes for parsed /proc data.

A record is declared like a frozen dataclass::

    class LoadAverage(Record):
        one: float
        five: float
        running: int
        last_pid: int | None = None

Type checkers see it as a frozen dataclass (PEP 681 ``dataclass_transform``).
At run time it is a slotted ``tuple`` subclass with one read-only property per
field: building one is a single C call and needs neither ``dataclasses`` nor
``typing`` to be imported. Equality requires the same record type.

Modules that declare records must use ``from __future__ import annotations``
(the field names are read from the class's ``__annotations__``).
"""

from __future__ import annotations

from _operator import attrgetter as _attrgetter
from _operator import itemgetter as _itemgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from typing import Any, ClassVar

    from typing_extensions import Self, dataclass_transform

    _TupleBase = object
else:

    def dataclass_transform(**_kwargs: object) -> object:
        return lambda obj: obj

    _TupleBase = tuple

__all__ = [
    "Record",
    "digits_field",
    "digits_getter",
    "digits_reader",
    "fields_getter",
    "items_getter",
    "to_plain",
]

_tuple_new = tuple.__new__


@dataclass_transform(frozen_default=True)
class _RecordMeta(type):
    """Turns each annotated field of a ``Record`` subclass into a tuple slot."""

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> _RecordMeta:
        parent_fields: tuple[str, ...] = ()
        parent_defaults: dict[str, object] = {}
        is_record = False
        for base in bases:
            if isinstance(base, _RecordMeta):
                is_record = True
                parent_fields += getattr(base, "_fields", ())
                parent_defaults.update(getattr(base, "_field_defaults", {}))
        if not is_record or "__slots__" in ns:
            return super().__new__(mcs, name, bases, ns)
        own = tuple(ns.get("__annotations__", {}))
        fields = parent_fields + tuple(f for f in own if f not in parent_fields)
        defaults = dict(parent_defaults)
        for field in own:
            if field in ns:
                defaults[field] = ns.pop(field)
        ns["__slots__"] = ()
        ns["_fields"] = fields
        ns["_field_defaults"] = defaults
        ns["__match_args__"] = fields
        for index, field in enumerate(fields):
            ns[field] = property(_itemgetter(index))
        ns["__new__"] = _first_new
        return super().__new__(mcs, name, bases, ns)


def _first_new(cls: type, *args: object, **kwargs: object) -> object:
    """Compile the record's real ``__new__`` on first use (keeps imports cheap)."""
    real = _make_new(cls.__name__, cls._fields, cls._field_defaults)  # type: ignore[attr-defined]
    cls.__new__ = real  # type: ignore[assignment]
    return real(cls, *args, **kwargs)  # type: ignore[operator]


def _make_new(name: str, fields: tuple[str, ...], defaults: dict[str, object]) -> object:
    params = []
    env: dict[str, object] = {"_tuple_new": _tuple_new}
    seen_default = False
    for field in fields:
        if field in defaults:
            env[f"_d_{field}"] = defaults[field]
            params.append(f"{field}=_d_{field}")
            seen_default = True
        elif seen_default:
            raise TypeError(f"{name}: field {field!r} without a default follows one with a default")
        else:
            params.append(field)
    values = "".join(f"{f}, " for f in fields)
    source = f"def __new__(_cls, {', '.join(params)}):\n    return _tuple_new(_cls, ({values}))\n"
    exec(source, env)
    function = env["__new__"]
    function.__qualname__ = f"{name}.__new__"  # type: ignore[attr-defined]
    return function


class Record(_TupleBase, metaclass=_RecordMeta):
    """Base class of every parsed record: immutable, slotted, comparable."""

    __slots__ = ()
    if TYPE_CHECKING:
        _fields: ClassVar[tuple[str, ...]]
        _field_defaults: ClassVar[dict[str, object]]

        @classmethod
        def _make(cls, values: Iterable[object], /) -> Self:
            """Build a record from all its field values in order, unchecked (the fast path)."""
            raise NotImplementedError
    else:
        _make = classmethod(_tuple_new)

    def __repr__(self) -> str:
        parts = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({parts})"

    # Equality and hashing go by field values, not by the stored tuple: a
    # record may keep raw text and convert on access (Stat, Status).
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._astuple() == other._astuple()

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self._astuple()))

    def __getnewargs__(self) -> tuple[object, ...]:
        return self._astuple()

    def _astuple(self) -> tuple[object, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def replace(self, **changes: object) -> Self:
        """A copy of this record with some fields changed."""
        values = {f: getattr(self, f) for f in self._fields}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values.update(changes)
        return type(self)(**values)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain, JSON-ready data (nested records become dicts)."""
        return {f: to_plain(getattr(self, f)) for f in self._fields}

    @classmethod
    def has_field(cls, name: str) -> bool:
        """Whether ``name`` is a field or a property of this record class (what a getter takes)."""
        if name.startswith("_"):
            return False
        return name in cls._fields or isinstance(getattr(cls, name, None), property)

    @classmethod
    def check_fields(cls, names: Iterable[str]) -> None:
        """Raise :class:`ValueError` for the first of ``names`` that :meth:`has_field` refuses."""
        for name in names:
            if not cls.has_field(name):
                known = ", ".join(cls._fields)
                raise ValueError(f"{cls.__name__} has no field {name!r}; fields: {known}")

    @classmethod
    def fields_getter(cls, names: Sequence[str]) -> Callable[[Self], tuple[Any, ...]]:
        """A function that reads the attributes ``names`` of a record of this class, as a tuple.

        The same values as ``getattr`` gives, in the order of ``names``, and
        the same errors; records that keep the kernel's digits return a
        faster one (``Stat``, ``StatM``, ``Io``): what a scan of a few fields
        of every process uses.
        """
        return fields_getter(names)


def fields_getter(names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function that reads the attributes ``names`` of a value, as a tuple in that order.

    The name ``""`` stands for the value itself.
    """
    if not names:
        return _nothing
    if "" in names:
        getters = [_itemself if not name else _attrgetter(name) for name in names]
        return lambda value: tuple([get(value) for get in getters])
    if len(names) == 1:
        get = _attrgetter(names[0])
        return lambda value: (get(value),)
    return _attrgetter(*names)


def _itemself(value: object) -> object:
    return value


def _nothing(value: object) -> tuple[()]:
    return ()


def to_plain(value: object) -> Any:
    """Convert a value found in a record into JSON-ready data.

    Records become dicts, enum members their name, tuples and lists lists,
    mapping keys strings, bytes and datetimes strings; other values pass as
    they are.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        if getattr(type(value), "_member_map_", None) is not None:
            return value.name  # type: ignore[union-attr]
        return value
    if isinstance(value, Record):
        return value.to_dict()
    if getattr(type(value), "_member_map_", None) is not None:
        return value.name  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return {str(to_plain(k)): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, frozenset, set)):
        return [to_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    to_json = getattr(value, "to_dict", None)
    if callable(to_json):
        return to_json()
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    return str(value)


def digits_field(index: int) -> property:
    """A field a parser may keep as the kernel's digits (bytes), read as an int.

    For records that convert on access (:class:`~procfs.core.stat.Stat`,
    ``DiskStat``, ``DeviceStatus``): the parser checked the digits, so the
    conversion cannot fail; an ``int`` or ``None`` stored by a caller or a
    slower parse is returned as it is.
    """
    item = tuple.__getitem__

    def get(self: Record) -> Any:
        value = item(self, index)  # type: ignore[call-overload]
        return int(value) if value.__class__ is bytes else value

    return property(get)


def digits_getter(
    cls: type[Record], names: Sequence[str], digits: Sequence[str]
) -> Callable[[Any], tuple[Any, ...]]:
    """:meth:`Record.fields_getter` of a record whose fields ``digits`` a parser may keep as digits.

    When the fields asked for are all among ``digits`` and the record holds
    them as bytes (its parser's fast path), they are converted in one C loop;
    otherwise (another field, a record built from ints) each is read as
    ``getattr`` reads it.
    """
    generic = fields_getter(names)
    if not names or not set(names) <= set(digits):
        return generic
    indexes = [cls._fields.index(name) for name in names]
    first = indexes[0]
    pick = items_getter(indexes)

    def get(record: Any) -> tuple[Any, ...]:
        if record[first].__class__ is not bytes:
            return generic(record)
        return tuple(map(int, pick(record)))

    return get


def items_getter(indexes: Sequence[int]) -> Callable[[Any], Any]:
    """``itemgetter(*indexes)``, which gives a sequence for one index too (a slice of length 1)
    and an empty tuple for none."""
    if not indexes:
        return _nothing
    if len(indexes) == 1:
        return _itemgetter(slice(indexes[0], indexes[0] + 1))
    return _itemgetter(*indexes)


def digits_reader(
    cls: type[Record],
    names: Sequence[str],
    digits: Sequence[str],
    usual: Callable[[bytes], list[bytes] | None],
    parse: Callable[[bytes], Any],
) -> Callable[[bytes, str], tuple[Any, ...]]:
    """A fields reader (see :func:`procfs.scan.scan_fields`) for a file of digit fields.

    ``usual(data)`` gives the checked digits of the fields ``digits`` of the
    usual file, in the record's order, or None; the fields ``names`` are then
    converted straight from them by the record's getter, with no record made.
    Any other file (or field) is read as ``parse(data)``'s attributes are.
    """
    # (the getter takes any sequence that holds the digits at the fields' places)
    get: Callable[[Any], tuple[Any, ...]] = cls.fields_getter(names)
    if not names or not set(names) <= set(digits):
        return lambda data, path: get(parse(data))

    def read(data: bytes, path: str) -> tuple[Any, ...]:
        numbers = usual(data)
        return get(parse(data) if numbers is None else numbers)

    return read
