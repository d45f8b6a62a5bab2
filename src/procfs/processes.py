"""psutil's ``process_iter``: every process as a handle, with answers read in one scan.

:meth:`ProcessIterFiles.process_iter` yields a :class:`~procfs.process.Process`
per process, in pid order; :meth:`ProcessIterFiles.process_iter_info` yields
``(process, info)`` pairs, ``info`` being the dict :meth:`Process.as_dict
<procfs.process_info.ProcessInfo.as_dict>` would give for the same names. (Two
methods rather than psutil's ``info`` attribute set on some handles only: each
yields one type.)

Both read through :meth:`~procfs.scan.ScanFiles.scan_fields`: one pass that
opens each process's directory once and reads only the files the names need
(``stat`` for the pid and start time that bind each handle, ``status`` for
``username``, ``statm`` for ``memory_info``, ...). Answers that are no file's
fields (``exe``, ``cwd``, ``num_fds``, ``ionice``, ``memory_full_info``) are
then asked of the handle. A process that exits before the scan reaches it, or
before its last answer is read, is left out.

As psutil does, a root keeps the handles of its last pass: a process seen
again (same pid, same start time) is given the same handle, so that
``cpu_percent`` (as a method, or as a name of ``process_iter_info``) measures
since the previous pass. The handles of processes gone are dropped at the end
of each complete pass.
"""

from __future__ import annotations

from procfs._fs import Root
from procfs.core._record import compile_function, items_getter
from procfs.errors import NotFoundError, PermissionDeniedError, ProcError
from procfs.process import Process
from procfs.process_info import ATTRIBUTES, Context, attribute_names, first_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from typing import Any

    from procfs.root import ProcFS

    # An answer: (name, make, getter of its values, place of its one value or -1, whether
    # it is a call of the handle).
    _Answer = tuple[str, Callable[[Context, Sequence[Any]], Any], Any, int, bool]
    _InfoMaker = Callable[[Sequence[Any], Context, Process, Any], "dict[str, Any] | None"]
    _Plan = tuple[list[str], list[_Answer], _InfoMaker, int]

__all__ = ["ProcessIterFiles"]

#: The handles of the last pass over each root (by its path), by pid.
_HANDLES: dict[str, dict[int, Process]] = {}
#: What a field of a file that could not be read is, in a scanned row.
_MISSING: Any = object()


class ProcessIterFiles(Root):
    """psutil's ``process_iter`` over a procfs root (see the module notes)."""

    __slots__ = ()

    def process_iter(self) -> Iterator[Process]:
        """A handle on every process, in pid order (processes gone are left out).

        Each handle is bound to its process by the start time the scan read;
        a process seen by the previous pass gets the same handle (see the
        module notes).
        """
        for process, _ in self._iterate([], None):
            yield process

    def process_iter_info(
        self, attrs: Iterable[str] | None = None, ad_value: Any = None
    ) -> Iterator[tuple[Process, dict[str, Any]]]:
        """``(process, info)`` for every process in pid order, ``info`` as
        :meth:`~procfs.process_info.ProcessInfo.as_dict` gives it for ``attrs``.

        ``attrs`` are psutil's names (see
        :data:`procfs.process_info.ATTRIBUTES`; all of them for None), read in
        one scan; an answer that cannot be read (permission denied, a file the
        process lacks) is ``ad_value``. An unknown name raises ValueError at
        once. ``cpu_percent`` is the use since the previous pass (0.0 for a
        process it did not see), as with psutil.
        """
        return self._iterate(attribute_names(attrs), ad_value)

    def _iterate(self, names: list[str], ad_value: Any) -> Iterator[tuple[Process, dict[str, Any]]]:
        fs: ProcFS = self  # type: ignore[assignment]
        fields, answers, info_of, start_at = _plan(names)
        context = Context(fs)
        handles = _HANDLES.setdefault(self.root, {})
        seen: set[int] = set()
        new_handle = Process
        missing = _MISSING
        errors: list[ProcError] = []  # grows when a row has a field that could not be read
        for row in fs.scan_fields(fields, default=missing, errors=errors):
            pid, start = row[0], row[start_at]
            if start is missing:  # its stat unreadable: nothing to bind a handle to
                errors.clear()
                continue
            handle = handles.get(pid)
            if handle is None or handle._start_time != start:
                handle = handles[pid] = new_handle(pid, fs, _check=False)
                handle._start_time = start
            seen.add(pid)
            context.handle = handle
            if not errors:
                info = info_of(row, context, handle, ad_value)
                if info is not None:
                    yield handle, info
                continue
            info = {}
            for name, make, get, _single, called in answers:
                values = get(row)
                if missing in values:
                    info[name] = ad_value
                    continue
                try:
                    info[name] = make(context, values)
                except (NotFoundError, PermissionDeniedError) as exc:
                    if called and isinstance(exc, NotFoundError) and not handle.is_alive():
                        break  # gone: left out
                    info[name] = ad_value
            else:
                yield handle, info
            errors.clear()
        for pid in handles.keys() - seen:
            del handles[pid]


#: What a pass needs, by the names asked (a monitor asks the same at every pass): the
#: fields to scan, the answers, their compiled maker and the place of the start time.
_PLANS: dict[tuple[str, ...], _Plan] = {}
_PLANS_KEPT = 64


def _plan(names: list[str]) -> _Plan:
    """The plan of a pass answering ``names`` (made once for the same names)."""
    key = tuple(names)
    found = _PLANS.get(key)
    if found is not None:
        return found
    # The fields grouped by file, in the order scan_fields makes a row (no reordering).
    specs = {name: ATTRIBUTES[name] for name in names}
    by_file: dict[str, list[str]] = {"stat": ["stat.starttime"]}
    for needed, _ in specs.values():
        for field in needed:
            if field != "pid":
                by_file.setdefault(field.partition(".")[0], []).append(field)
    fields = ["pid", *dict.fromkeys(field for group in by_file.values() for field in group)]
    places = {field: place for place, field in enumerate(fields)}
    answers: list[_Answer] = []
    for name, (needed, make) in specs.items():
        get = items_getter([places[field] for field in needed])
        single = places[needed[0]] if make is first_value else -1
        answers.append((name, make, get, single, not needed))
    info_of = _info_maker(answers, [[places[field] for field in specs[name][0]] for name in specs])
    found = (fields, answers, info_of, places["stat.starttime"])
    if len(_PLANS) < _PLANS_KEPT:
        _PLANS[key] = found
    return found


def _info_maker(answers: list[_Answer], places: list[list[int]]) -> _InfoMaker:
    """The function making the info of a row none of whose fields is missing: ``make(row,
    context, handle, ad_value)``, None if the process is gone.

    Compiled for the answers asked (as :func:`procfs.scan._row_maker` is for a
    plan): each answer in a line of its own, its values taken of the row by
    their places, instead of a loop over the answers.
    """
    env: dict[str, Any] = {"NotFoundError": NotFoundError, "Denied": PermissionDeniedError}
    lines = ["def make(row, context, handle, ad_value):"]
    for at, ((_, make, _, single, called), where) in enumerate(zip(answers, places, strict=True)):
        if single >= 0:
            lines.append(f"    a{at} = row[{single}]")
            continue
        env[f"m{at}"] = make
        values = "".join(f"row[{place}], " for place in where)
        lines += [
            "    try:",
            f"        a{at} = m{at}(context, ({values}))",
        ]
        if called:
            lines += [
                "    except NotFoundError:",
                "        if not handle.is_alive():",
                "            return None",  # gone: left out
                f"        a{at} = ad_value",
                "    except Denied:",
                f"        a{at} = ad_value",
            ]
        else:
            lines += [
                "    except (NotFoundError, Denied):",
                f"        a{at} = ad_value",
            ]
    items = ", ".join(f"{name!r}: a{at}" for at, (name, *_) in enumerate(answers))
    lines.append(f"    return {{{items}}}")
    return compile_function("\n".join(lines) + "\n", env, "make")  # type: ignore[no-any-return]
