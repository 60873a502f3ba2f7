"""The per-Jobcenter look-ups of a stored month, decoded when a screen asks for them.

A month's look-ups decoded whole are ~11 MB of Python objects (dicts of dicts per row);
a screen reads one Jobcenter's at a time (the overview, the attention line, a chart's copy
lines). Kept in the figure store as one line per Jobcenter (jctui.session.store_link), they
stay in the file: only where each line is, and the keys' order, are held, and a Jobcenter's
line is read and decoded when looked up (the last few kept decoded). The file is held open
from its digest check on, so what is read later is what was checked (a store replaced or
removed meanwhile is renamed over or unlinked, never written in place).
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

DECODED_KEPT = 8  # Jobcenters kept decoded (the chosen one, a few of a chart's comparison)

Payload = dict[str, Any]  # one Jobcenter's look-ups: field name -> its value


class JobcenterLines:
    """Where each Jobcenter's line is in an open views file, and the lines of the fields
    read whole when first used (`wholes`: the compare rows, the target rankings); each
    decoded on demand."""

    def __init__(
        self,
        fd: int,
        spans: dict[str, tuple[int, int]],
        decode: Callable[[bytes], Any],
        wholes: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.fd = fd
        self.spans = spans  # jobcenter_id -> (offset, length) of its JSON in the file
        self.decode = decode
        self.wholes = wholes or {}  # field name -> (offset, length) of its JSON
        self.lock = threading.Lock()
        self.kept: OrderedDict[str, Payload] = OrderedDict()
        self.whole_kept: dict[str, Any] = {}
        self.orders: dict[str, Any] | None = None  # the keys' order by field (`order`)
        weakref.finalize(self, os.close, fd)  # the file is closed with its last look-up

    def read(self, span: tuple[int, int]) -> Any:
        offset, length = span
        if hasattr(os, "pread"):
            raw = os.pread(self.fd, length, offset)
        else:  # pragma: no cover - Windows
            os.lseek(self.fd, offset, os.SEEK_SET)
            raw = os.read(self.fd, length)
        if len(raw) != length:
            raise OSError("views file shorter than its index")
        return self.decode(raw)

    def payload(self, jc: str) -> Payload | None:
        """The look-ups of one Jobcenter (None: it has none)."""
        span = self.spans.get(jc)
        if span is None:
            return None
        with self.lock:
            done = self.kept.get(jc)
            if done is not None:
                self.kept.move_to_end(jc)
                return done
            done = self.read(span)
            assert isinstance(done, dict)
            self.kept[jc] = done
            while len(self.kept) > DECODED_KEPT:
                self.kept.popitem(last=False)
            return done

    def whole(self, name: str) -> Any:
        """A field read whole (decoded once, then kept)."""
        with self.lock:
            if name not in self.whole_kept:
                self.whole_kept[name] = self.read(self.wholes[name])
            return self.whole_kept[name]

    def order(self, name: str) -> Any:
        """The keys of a field by Jobcenter in their order (the sparklines': runs of one
        Jobcenter each, `sparks_runs`), decoded when first iterated: a screen looks keys up,
        it does not list them (~3 ms of every month's reading saved)."""
        with self.lock:
            if self.orders is None:
                order = self.read(self.wholes["$order"])
                runs = [(sys.intern(jc), interned(keys)) for jc, keys in order.pop("sparks")]
                self.orders = {field: interned(keys) for field, keys in order.items()}
                self.orders["sparks"] = runs
            return self.orders[name]


def interned(texts: list[str]) -> list[str]:
    return [sys.intern(text) for text in texts]


class RowsOnDemand(Sequence[dict[str, Any]]):
    """A list field of the look-ups (the compare rows), decoded when first used."""

    __slots__ = ("lines", "name")

    def __init__(self, lines: JobcenterLines, name: str) -> None:
        self.lines, self.name = lines, name

    def rows(self) -> list[dict[str, Any]]:
        rows = self.lines.whole(self.name)
        assert isinstance(rows, list)
        return rows

    def __getitem__(self, index: Any) -> Any:
        return self.rows()[index]

    def __len__(self) -> int:
        return len(self.rows())

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, (str, bytes)):
            return self.rows() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.rows())


class MappingOnDemand(Mapping[str, Any]):
    """A mapping field of the look-ups (the target rankings), decoded when first used."""

    __slots__ = ("lines", "name")

    def __init__(self, lines: JobcenterLines, name: str) -> None:
        self.lines, self.name = lines, name

    def mapping(self) -> dict[str, Any]:
        value = self.lines.whole(self.name)
        assert isinstance(value, dict)
        return value

    def __getitem__(self, key: str) -> Any:
        return self.mapping()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.mapping())

    def __len__(self) -> int:
        return len(self.mapping())

    def __repr__(self) -> str:
        return repr(self.mapping())


class ByJobcenter(Mapping[str, Any]):
    """One field of the look-ups by Jobcenter (`metrics`, `targets` ...), read when looked up."""

    __slots__ = ("lines", "name")

    def __init__(self, lines: JobcenterLines, name: str) -> None:
        self.lines, self.name = lines, name

    @property
    def order(self) -> list[str]:
        keys = self.lines.order(self.name)
        assert isinstance(keys, list)
        return keys

    def __getitem__(self, jc: str) -> Any:
        payload = self.lines.payload(jc)
        if payload is None or self.name not in payload:
            raise KeyError(jc)
        return payload[self.name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __repr__(self) -> str:
        return repr(dict(self))


class SparksByKey(Mapping[tuple[str, str], Any]):
    """The sparklines by (Jobcenter, figure), read with the Jobcenter's line."""

    __slots__ = ("lines",)

    def __init__(self, lines: JobcenterLines) -> None:
        self.lines = lines

    @property
    def runs(self) -> list[tuple[str, list[str]]]:
        """(jobcenter_id, its figures) in the keys' order."""
        runs = self.lines.order("sparks")
        assert isinstance(runs, list)
        return runs

    def __getitem__(self, key: tuple[str, str]) -> Any:
        payload = self.lines.payload(key[0])
        sparks = payload.get("sparks") if payload is not None else None
        if sparks is None or key[1] not in sparks:
            raise KeyError(key)
        return sparks[key[1]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((jc, key) for jc, keys in self.runs for key in keys)

    def __len__(self) -> int:
        return sum(len(keys) for _, keys in self.runs)

    def __repr__(self) -> str:
        return repr(dict(self))


def sparks_runs(keys: Iterator[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """The sparklines' keys as runs of one Jobcenter each, in their order."""
    runs: list[tuple[str, list[str]]] = []
    for jc, key in keys:
        if not runs or runs[-1][0] != jc:
            runs.append((jc, []))
        runs[-1][1].append(key)
    return runs
