"""Answers of `jctui show` kept for a repeat: the same lookup on unchanged files prints the
answer it printed before, without importing Polars (the store's last step: figures are
computed once per revision, and a repeated answer is not even rendered again).

An answer is keyed by everything its text depends on that is known before the config is
read: the arguments, the working directory, the jctui version and Python, the environment
that changes wording or layout (locale, terminal, JCTUI_*, XDG_*), the terminal's size,
today's date and the config file's content. Its entry records the identity (device, inode,
size, modification and change time) of every file the lookup read: a repeat stats them and
prints the answer only when none changed. Only stdlib is imported here.

A URL source (a plain one: not a URL template or a connector) is asked each time: the
entry records the revision of its cached copy (jctui.sources.pointer.cached_revision), and
the repeat sends the conditional request first (jctui.sources.fetch_ahead, httpx but no
Polars); a 304 leaves that revision as it was and the kept answer is printed, new data (a
200) are read by the lookup itself from that very answer (the server is asked once), so an
old answer is never printed for new data.

Kept only for lookups that read files and such URL sources (answered by a 304: new data
just read are kept by the next lookup), that exit 0 and wrote nothing to stderr, and whose
files did not change in the last RACY_SECONDS. `JCTUI_STORE=0` or `JCTUI_ANSWERS=0` turns
it off.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from jctui.build import code_revision
from jctui.identity import file_identity

if TYPE_CHECKING:
    from jctui.config import Config, SourceDef
    from jctui.session.located import Located

ANSWER_FORMAT = 1
MAX_ANSWERS = 256  # kept per user; the oldest go first
RACY_SECONDS = 2  # a file changed as recently as this may change again within its timestamp
ENV = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC", "LC_TIME", "TERM")
ENV_MORE = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "HOME", "TZ", "PYTHONIOENCODING")


def _enabled(argv: Sequence[str]) -> bool:
    """For `show`, unless JCTUI_STORE=0 (no store at all) or JCTUI_ANSWERS=0 (the store
    without kept answers, for comparisons)."""
    off = os.environ.get("JCTUI_STORE") == "0" or os.environ.get("JCTUI_ANSWERS") == "0"
    return bool(argv) and argv[0] == "show" and not off


def _config_path(argv: Sequence[str]) -> Path:
    """The config file the lookup reads (as jctui.config.load_config finds it)."""
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--config="):
            return Path(arg.partition("=")[2])
    if os.environ.get("JCTUI_CONFIG"):
        return Path(os.environ["JCTUI_CONFIG"])
    from jctui.locations import config_file

    return config_file()


def _key(argv: Sequence[str]) -> str:
    """What the answer's text depends on, before any file is read (see the module doc)."""
    import datetime as dt

    config = _config_path(argv)
    try:
        content = hashlib.blake2b(config.read_bytes()).hexdigest()
    except FileNotFoundError:
        content = "absent"
    env = sorted(
        (k, v)
        for k, v in os.environ.items()
        if k in ENV or k in ENV_MORE or k.startswith(("JCTUI_", "XDG_"))
    )
    tty = sys.stdout.isatty()
    size = tuple(os.get_terminal_size(sys.stdout.fileno())) if tty else ()
    parts = [
        f"answers {ANSWER_FORMAT}", code_revision(), sys.executable, os.getcwd(), json.dumps(argv),
        json.dumps(env), f"{tty} {size} {sys.stdout.encoding}", dt.date.today().isoformat(),
        str(config), content,
    ]  # fmt: skip
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def answers_folder() -> Path:
    from jctui.locations import answers_dir

    return answers_dir()


def replayed(argv: Sequence[str], config_of: Callable[[], Config] | None = None) -> bool:
    """Print the kept answer of this lookup when none of its files changed and every URL
    source answered a 304 (`config_of`: the lookup's config, for its URL sources); False
    (nothing printed) when there is none, it is stale or unreadable."""
    if not _enabled(argv):
        return False
    try:
        key = _key(argv)
        entry = json.loads((answers_folder() / f"{key}.json").read_text(encoding="utf-8"))
        if entry.get("key") != key or entry.get("format") != ANSWER_FORMAT:
            return False
        if any(file_identity(Path(path)) != identity for path, identity in entry["files"].items()):
            return False
        sources = entry.get("sources") or {}
        if sources and (config_of is None or not _unchanged(config_of, sources)):
            return False
        text = entry["out"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def plain_url(src: SourceDef) -> bool:
    """A URL source answered by one conditional request (not a template, not a connector)."""
    return bool(src.url) and not src.months and not src.connector and not src.demo


def _unchanged(config_of: Callable[[], Config], sources: dict[str, str]) -> bool:
    """True when the config's URL sources are the kept ones, their cached copies are of the
    kept revisions, and each server answers the conditional request with a 304. The
    answers are kept for the lookup (jctui.sources.fetch_ahead): a 200 is not asked twice."""
    from jctui.errors import JctuiError
    from jctui.locations import cache_dir
    from jctui.sources import fetch_ahead, forget_ahead
    from jctui.sources.pointer import cached_revision, source_key, validators

    try:
        config = config_of()
        remote = [src for src in config.sources if src.is_remote]
        if not all(plain_url(src) for src in remote):
            return False
        if {source_key(src) for src in remote} != set(sources):
            return False
        folder = cache_dir(config.cache_dir)
        for src in remote:
            known = validators(src, folder=folder)
            if known is None or cached_revision(src, folder=folder) != sources[source_key(src)]:
                return False
            fetched = fetch_ahead(
                src, etag=known.etag, last_modified=known.last_modified, folder=folder
            )
            if not fetched.not_modified:
                return False
    except JctuiError:  # the lookup asks again and says what went wrong
        return False
    forget_ahead()  # every source answered 304: no lookup follows to take the answers
    return True


@dataclass
class Recorder:
    """The answer of one lookup while it runs: its text and the files it read."""

    key: str
    files: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # URL source -> cached revision
    keepable: bool = True  # False once a source is not a file or a URL answered by a 304
    noted: bool = False

    def note(self, config: Config, located: Sequence[Located]) -> None:
        from jctui.locations import cache_dir
        from jctui.sources.file import folder_files, folder_root, is_folder_source
        from jctui.sources.pointer import cached_revision, source_key

        self.noted = True
        for loc in located:
            src = loc.source
            if loc.result is not None or loc.cached_at is not None:  # new data, or --offline
                self.keepable = False
            elif loc.from_cache:  # a URL source answered by a 304: its cached revision
                revision = cached_revision(src, folder=cache_dir(config.cache_dir))
                if not plain_url(src) or revision is None:
                    self.keepable = False
                else:
                    self.sources[source_key(src)] = revision
            elif loc.path is None or src.is_remote:
                self.keepable = False
            elif is_folder_source(src):
                files = [folder_root(src), *folder_files(src)]
                self.files += [str(f) for f in files]
            else:
                self.files.append(str(loc.path))

    def save(self, text: str) -> None:
        """Keep the answer when the files it read are settled (unchanged since RACY_SECONDS)."""
        if not (self.noted and self.keepable):
            return
        now = time.time_ns()
        files = {}
        for path in self.files:
            st = os.stat(path)
            if now - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_SECONDS * 1_000_000_000:
                return
            files[os.path.abspath(path)] = file_identity(Path(path))
        entry = {
            "format": ANSWER_FORMAT, "key": self.key, "files": files, "sources": self.sources,
            "out": text,
        }  # fmt: skip
        folder = answers_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".tmp-{self.key}-{uuid.uuid4().hex[:8]}"
        tmp.write_text(json.dumps(entry), encoding="utf-8")
        tmp.replace(folder / f"{self.key}.json")
        kept = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-MAX_ANSWERS]:
            old.unlink(missing_ok=True)


_active: Recorder | None = None  # the lookup being recorded (one per process)


def note_read(config: Config, located: Sequence[Located]) -> None:
    """The lookup read these sources (jctui.session.oneshot): its answer depends on them."""
    if _active is not None:
        _active.note(config, located)


class _Tee:
    """A text stream that copies what is written to it; everything else (encoding, isatty,
    fileno, buffer) is the stream's own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.copy, self.count = stream, io.StringIO(), 0

    def write(self, text: str) -> int:
        self.copy.write(text)
        self.count += len(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def recording(argv: Sequence[str]) -> Iterator[list[int]]:
    """Run a lookup, keeping its answer when it exits 0 (the caller appends its exit code
    to the list this yields) and wrote nothing to stderr; a failure to keep it is ignored."""
    global _active
    codes: list[int] = []
    if not _enabled(argv):
        yield codes
        return
    try:
        recorder = Recorder(_key(argv))
    except OSError:
        yield codes
        return
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr, _active = cast(TextIO, out), cast(TextIO, err), recorder
    try:
        yield codes
    finally:
        sys.stdout, sys.stderr, _active = real_out, real_err, None
    if codes == [0] and err.count == 0:
        with suppress(OSError):
            recorder.save(out.copy.getvalue())
