"""Immutable, cheap record classes for parsed /proc data.

A record is declared like a frozen dataclass::

    class LoadAverage(Record):
        one: float
        five: float
        running: int
        last_pid: int | None = None

Type checkers see it as a frozen dataclass (PEP 681 ``dataclass_transform``)
and at run time it behaves as one: an instance of a slotted class with one
slot per field; assigning or deleting a field raises
:class:`FrozenRecordError` (an :class:`AttributeError`, as dataclasses'
``FrozenInstanceError``); ``==`` and ``hash()`` go by the type and the field
values; it is not a sequence (``len()``, indexing, iteration and ``<``
raise :class:`TypeError`); ``copy``, ``deepcopy`` and ``pickle`` round-trip;
``inspect.signature(LoadAverage)`` and ``help()`` show the fields.
``to_dict()`` gives JSON-ready data.

Neither ``dataclasses``, ``typing`` nor ``inspect`` is imported: the methods
that depend on the fields (the constructor, ``_make``, ``==``, ``hash``) are
compiled from source by :func:`compile_function`, as ``namedtuple``
compiles its constructor, when a class is first used. A record is built as
an instance of a mutable twin of its class (plain slot stores, no
``__setattr__`` call per field), whose ``__class__`` is then set to the
frozen class.

A record that keeps what its parser found and converts a field when it is
read (the kernel's digits, a whole line) declares it in its body with
``__lazy__ = Lazy(...)``: it then has one slot, ``_values``, each field is
a property computed from it, and ``==`` first compares what two records
store (see :class:`Lazy`). Its parser builds it with ``_from_stored``.

Modules that declare records must use ``from __future__ import annotations``
(the field names are read from the class's ``__annotations__``).
"""

from __future__ import annotations

from _operator import attrgetter as _attrgetter
from _operator import itemgetter as _itemgetter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from inspect import Signature
    from typing import Any, ClassVar

    from typing_extensions import Self, dataclass_transform

    #: Makes a field's getter (a function of the record) from its name and
    #: place, or gives None for the usual getter.
    Getter = Callable[[str, int], "Callable[[Any], Any] | None"]
else:

    def dataclass_transform(**_kwargs: object) -> object:
        return lambda obj: obj


__all__ = [
    "FrozenRecordError",
    "Lazy",
    "Record",
    "compile_function",
    "digits_reader",
    "fields_getter",
    "items_getter",
    "to_plain",
]

_new = object.__new__
#: Methods a record class gets from :func:`_compile` (the class-level ones are
#: looked up through ``_RecordMeta.__getattr__`` until then).
_COMPILED_CLASS_ATTRIBUTES = frozenset(("_make", "_from_stored"))


class FrozenRecordError(AttributeError):
    """Raised on assigning or deleting a field of a record: records are immutable."""


class Lazy:
    """How a record class keeps what its parser found and converts on access.

    Declared in the class body: ``__lazy__ = Lazy(int, name=None)``. The
    record then has one slot, ``_values``: a tuple of one stored value per
    field, in field order (unless ``make`` says otherwise). Reading a field
    gives its stored value, except that:

    * a field with a converter (``convert`` for every field not named in
      ``converters``, else ``converters[name]``; None for none) gives
      ``converter(value)`` when the stored value is :class:`bytes` (what a
      parser's fast path keeps, checked so that the conversion cannot fail)
      and the value as it is otherwise (a record built from values);
    * a field for which ``getter(name, index)`` gives a function gives that
      function of the record (a record with storage of its own, as ``Stat``).

    ``make(values)`` turns every field value, in order, into the stored tuple
    (by default ``tuple(values)``): what the constructor and
    :meth:`Record._make` use. A parser builds a record from the stored tuple
    with :meth:`Record._from_stored`. Equality compares the stored tuples,
    then (if they differ) the field values.
    """

    __slots__ = ("convert", "converters", "getter", "make")

    def __init__(
        self,
        convert: Callable[[bytes], Any] | None = None,
        /,
        *,
        getter: Getter | None = None,
        make: Callable[[Iterable[Any]], tuple[Any, ...]] | None = None,
        **converters: Callable[[bytes], Any] | None,
    ) -> None:
        self.convert = convert
        self.converters = converters
        self.getter = getter
        self.make = make

    def converter(self, field: str) -> Callable[[bytes], Any] | None:
        """The function that converts the stored bytes of ``field``, or None."""
        return self.converters.get(field, self.convert)

    def field_property(self, field: str, index: int) -> property:
        """The property that reads field ``field``, number ``index``, of a record."""
        get = self.getter(field, index) if self.getter is not None else None
        if get is None:
            convert = self.converter(field)
            get = _stored(index) if convert is None else _converted(index, convert)
        get.__name__ = field
        return property(get)


def _stored(index: int) -> Callable[[Any], Any]:
    """The getter of a ``Lazy`` field stored as it is read, at ``index`` of ``_values``."""

    def get(self: Any) -> Any:
        return self._values[index]

    return get


def _converted(index: int, convert: Callable[[bytes], Any]) -> Callable[[Any], Any]:
    """The getter of a ``Lazy`` field at ``index`` of ``_values``, converted if stored as bytes."""

    def get(self: Any) -> Any:
        value = self._values[index]
        return convert(value) if value.__class__ is bytes else value

    return get


@dataclass_transform(frozen_default=True)
class _RecordMeta(type):
    """Makes each annotated field of a ``Record`` subclass a slot (or a ``Lazy`` property)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> _RecordMeta:
        parent_fields: tuple[str, ...] = ()
        parent_defaults: dict[str, object] = {}
        is_record = False
        for base in bases:
            if isinstance(base, _RecordMeta):
                is_record = True
                parent_fields += getattr(base, "_fields", ())
                parent_defaults.update(getattr(base, "_field_defaults", {}))
        if not is_record:
            return super().__new__(mcs, name, bases, ns)
        own = tuple(ns.get("__annotations__", {}))
        new = tuple(f for f in own if f not in parent_fields)
        lazy: Lazy | None = ns.get("__lazy__")
        if not new and lazy is None:
            ns["__slots__"] = ()  # a subclass with the fields of its parent
            return super().__new__(mcs, name, bases, ns)
        fields = parent_fields + new
        if parent_fields and (lazy is not None or any(hasattr(b, "__lazy__") for b in bases)):
            raise TypeError(f"{name}: a lazy record cannot add fields to a parent's")
        for field in fields:
            if field.startswith("_") or field in ("cls", "self"):
                raise TypeError(f"{name}: a field may not be named {field!r}")
        defaults = dict(parent_defaults)
        for field in own:
            if field in ns:
                defaults[field] = ns.pop(field)
        if lazy is None:
            ns["__slots__"] = new
        else:
            ns["__slots__"] = ("_values",)
            unknown = set(lazy.converters) - set(fields)
            if unknown:
                raise TypeError(f"{name}: Lazy converts no field {sorted(unknown)[0]!r}")
            for index, field in enumerate(fields):
                ns[field] = lazy.field_property(field, index)
            ns.setdefault("__eq__", _lazy_eq)
            ns.setdefault("__hash__", _lazy_hash)
            ns["_astuple"] = _values_getter(fields)
        ns["_fields"] = fields
        ns["_field_defaults"] = defaults
        ns["__match_args__"] = fields
        cls = super().__new__(mcs, name, bases, ns)
        if lazy is not None:
            _lazy_builders(cls, lazy)
        return cls

    def __getattr__(cls, name: str) -> Any:
        # _make and _from_stored exist once the class's methods are compiled.
        if name in _COMPILED_CLASS_ATTRIBUTES and hasattr(cls, "_fields"):
            _compile(cls)
            return type.__getattribute__(cls, name)
        raise AttributeError(f"type object {cls.__name__!r} has no attribute {name!r}")

    @property
    def __signature__(cls) -> Signature:
        """The constructor's parameters, the fields (for ``help()`` and ``inspect``)."""
        from inspect import Parameter, Signature

        annotations: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            annotations.update(vars(klass).get("__annotations__", {}))
        defaults = getattr(cls, "_field_defaults", {})
        return Signature(
            [
                Parameter(
                    field,
                    Parameter.POSITIONAL_OR_KEYWORD,
                    default=defaults.get(field, Parameter.empty),
                    annotation=annotations.get(field, Parameter.empty),
                )
                for field in getattr(cls, "_fields", ())
            ]
        )


def compile_function(source: str, env: dict[str, Any], name: str) -> Any:
    """The function ``name`` defined by ``source`` (run with the globals ``env``).

    The one code generator of the records and their fast readers: a function
    compiled for given fields, as ``namedtuple`` compiles its constructor.
    """
    exec(source, env)
    return env[name]


def _owner(cls: type) -> type:
    """The record class that declares the fields of ``cls`` (``cls`` or a parent)."""
    for klass in cls.__mro__:
        if "_fields" in klass.__dict__:
            return klass
    raise TypeError(f"{cls.__name__} has no fields: subclass it")


def _mutable(owner: type) -> type:
    """The mutable twin of the record class ``owner``: records of a class with slots
    are built as one (plain slot stores), then given their class."""
    twin: type | None = owner.__dict__.get("_mutable")
    if twin is None:
        namespace = {
            "__slots__": (),
            "__setattr__": object.__setattr__,
            "__delattr__": object.__delattr__,
            "__module__": owner.__module__,
            "__qualname__": f"{owner.__qualname__}._mutable",
        }
        twin = type.__new__(type(owner), owner.__name__, (owner,), namespace)
        type.__setattr__(owner, "_mutable", twin)
    return twin


def _values_getter(fields: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """``_astuple`` of a ``Lazy`` record: its field values, read in one C loop."""
    if len(fields) == 1:
        get_one = _attrgetter(fields[0])
        return lambda self: (get_one(self),)
    get = _attrgetter(*fields)
    return lambda self: get(self)


def _lazy_eq(self: Any, other: Any) -> bool:
    """``==`` of ``Lazy`` records: the same type, and the same stored tuple or field values."""
    if other.__class__ is not self.__class__:
        return NotImplemented  # type: ignore[no-any-return]
    return bool(self._values == other._values or self._astuple() == other._astuple())


def _lazy_hash(self: Any) -> int:
    """``hash()`` of a ``Lazy`` record: that of its field values."""
    return hash(self._astuple())


def _lazy_builders(cls: type, lazy: Lazy) -> None:
    """Give the ``Lazy`` record class ``cls`` its ``_make`` and ``_from_stored``."""
    store = lazy.make or tuple
    set_values = cls.__dict__["_values"].__set__

    def _from_stored(owner: type, stored: tuple[Any, ...]) -> Any:
        record: Any = _new(owner)
        set_values(record, stored)
        return record

    def _make(owner: type, values: Iterable[Any]) -> Any:
        record: Any = _new(owner)
        set_values(record, store(values))
        return record

    for function in (_from_stored, _make):
        function.__qualname__ = f"{cls.__qualname__}.{function.__name__}"
        type.__setattr__(cls, function.__name__, classmethod(function))


def _compile(cls: type) -> None:
    """Compile ``_make``, ``_astuple``, ``__eq__`` and ``__hash__`` of the (plain) record
    class that declares ``cls``'s fields (its subclasses without fields of their own
    inherit them); ``_from_stored`` is ``_make``."""
    owner = _owner(cls)
    if "_make" in owner.__dict__:
        return
    fields: tuple[str, ...] = owner.__dict__["_fields"]
    mine = "".join(f"self.{field}, " for field in fields)
    theirs = "".join(f"other.{field}, " for field in fields)
    store = f"{mine} = values" if fields else "pass"
    source = (
        f"def _astuple(self):\n    return ({mine})\n"
        "def __eq__(self, other):\n"
        "    if other.__class__ is not self.__class__:\n"
        "        return NotImplemented\n"
        f"    return ({mine}) == ({theirs})\n"
        f"def __hash__(self):\n    return hash(({mine}))\n"
        # (a record is built as its mutable twin, then given its class)
        "def _make(cls, values):\n"
        "    self = _new(_Mutable)\n"
        f"    {store}\n"
        "    self.__class__ = cls\n"
        "    return self\n"
    )
    env: dict[str, Any] = {"_new": _new, "_Mutable": _mutable(owner)}
    compile_function(source, env, "_make")
    for name in ("_astuple", "__eq__", "__hash__", "_make"):
        env[name].__qualname__ = f"{owner.__qualname__}.{name}"
        if name in owner.__dict__:
            continue  # (a class may define its own: KernelVersion)
        method = classmethod(env[name]) if name == "_make" else env[name]
        type.__setattr__(owner, name, method)
    type.__setattr__(owner, "_from_stored", owner.__dict__["_make"])


def _compile_new(cls: type) -> None:
    """Compile the constructor of the record class that declares ``cls``'s fields: its
    parameters are the fields, with their defaults."""
    owner = _owner(cls)
    if "__new__" in owner.__dict__:
        return
    name = owner.__name__
    fields: tuple[str, ...] = owner.__dict__["_fields"]
    defaults: dict[str, object] = owner.__dict__["_field_defaults"]
    env: dict[str, Any] = {"_new": _new}
    params = []
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
    values = "".join(f"{field}, " for field in fields)
    if "__lazy__" in owner.__dict__:
        body = f"    return cls._make(({values}))\n"
    else:
        env["_Mutable"] = _mutable(owner)
        mine = "".join(f"self.{field}, " for field in fields)
        store = f"{mine} = {values}" if fields else "pass"
        body = (
            f"    self = _new(_Mutable)\n    {store}\n    self.__class__ = cls\n    return self\n"
        )
    function = compile_function(f"def __new__(cls, {', '.join(params)}):\n{body}", env, "__new__")
    function.__qualname__ = f"{owner.__qualname__}.__new__"
    type.__setattr__(owner, "__new__", staticmethod(function))


def _rebuild(cls: type[Record], values: tuple[Any, ...]) -> Record:
    """A record from its field values (what pickling a record stores)."""
    return cls._make(values)


class Record(metaclass=_RecordMeta):
    """Base class of every parsed record: immutable, slotted, compared by value."""

    __slots__ = ()
    if TYPE_CHECKING:
        _fields: ClassVar[tuple[str, ...]]
        _field_defaults: ClassVar[dict[str, object]]
        __lazy__: ClassVar[Lazy]

        @classmethod
        def _make(cls, values: Iterable[Any], /) -> Self:
            """Build a record from all its field values in order, unchecked (the fast path)."""
            raise NotImplementedError

        @classmethod
        def _from_stored(cls, stored: tuple[Any, ...], /) -> Self:
            """Build a ``Lazy`` record from its stored tuple (what its parser found)."""
            raise NotImplementedError

        @property
        def _values(self) -> tuple[Any, ...]:
            """What a ``Lazy`` record stores (its one slot)."""
            raise NotImplementedError

    else:
        # (hidden from type checkers, which know records are frozen and would
        # otherwise accept any attribute assignment)
        def __setattr__(self, name: str, value: object) -> None:
            raise FrozenRecordError(f"cannot assign to field {name!r}")

        def __delattr__(self, name: str) -> None:
            raise FrozenRecordError(f"cannot delete field {name!r}")

    # The methods below that depend on the fields compile the class's own on first use.
    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        _compile_new(cls)
        return cls.__new__(cls, *args, **kwargs)

    def __eq__(self, other: object) -> bool:
        _compile(type(self))
        return self.__eq__(other)

    def __hash__(self) -> int:
        _compile(type(self))
        return self.__hash__()

    def _astuple(self) -> tuple[Any, ...]:
        """The field values, in order."""
        _compile(type(self))
        return self._astuple()

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self._astuple())

    def __repr__(self) -> str:
        parts = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({parts})"

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
        the same errors. For a ``Lazy`` record whose fields ``names`` all
        convert digits with ``int`` (``StatM``, ``Io``, ``DiskStat``...), the
        stored digits are converted in one C loop; ``Stat`` and ``Status``
        have their own: what a scan of a few fields of every process uses.
        """
        lazy: Lazy | None = getattr(cls, "__lazy__", None)
        if lazy is None or not names or lazy.getter is not None:
            return fields_getter(names)
        if any(name not in cls._fields or lazy.converter(name) is not int for name in names):
            return fields_getter(names)
        return _digits_getter(cls, names)


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

    Records become dicts, enum members their name (or value, for one without
    a name), tuples and lists lists,
    mapping keys strings, bytes and datetimes strings; other values pass as
    they are.
    """
    if getattr(type(value), "_member_map_", None) is not None:
        # (a member made for a number its enum does not know has no name)
        name = value.name  # type: ignore[attr-defined]
        return value.value if name is None else name  # type: ignore[attr-defined]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Record):
        return value.to_dict()
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


def _digits_getter(cls: type[Record], names: Sequence[str]) -> Callable[[Any], tuple[Any, ...]]:
    """:meth:`Record.fields_getter` of a ``Lazy`` record for fields its parser may keep as digits.

    When the record holds them as bytes (its parser's fast path), they are
    converted in one C loop; otherwise (a record built from ints) each is
    read as ``getattr`` reads it.
    """
    generic = fields_getter(names)
    indexes = [cls._fields.index(name) for name in names]
    first = indexes[0]
    pick = items_getter(indexes)

    def get(record: Any) -> tuple[Any, ...]:
        values = record._values
        if values[first].__class__ is not bytes:
            return generic(record)
        return tuple(map(int, pick(values)))

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
    converted straight from them, with no record made. Any other file (or
    field) is read as ``parse(data)``'s attributes are.
    """
    get: Callable[[Any], tuple[Any, ...]] = cls.fields_getter(names)
    if not names or not set(names) <= set(digits):
        return lambda data, path: get(parse(data))
    pick = items_getter([cls._fields.index(name) for name in names])

    def read(data: bytes, path: str) -> tuple[Any, ...]:
        numbers = usual(data)
        if numbers is None:
            return get(parse(data))
        return tuple(map(int, pick(numbers)))

    return read
