"""httpx and httpcore imported without what they import when installed but a synchronous
client never uses: httpx's command line (click, rich, pygments) and httpcore's trio
support. A production install has neither click nor trio; where another tool installed
them (a dev venv: import-linter, selenium) they cost every lookup of a URL source ~0.2 s
of CPU, more than its request. Imported first by jctui.sources.http; the modules blocked
while httpx and httpcore import can be imported as usual afterwards."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

UNUSED_BY_HTTPX = ("click", "trio")


@contextmanager
def without(names: tuple[str, ...]) -> Iterator[None]:
    """Within: the modules `names` (not imported yet) cannot be imported; after: they can."""
    blocked = [n for n in names if n not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        yield
    finally:
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


with without(UNUSED_BY_HTTPX):
    import httpcore  # noqa: F401
    import httpx  # noqa: F401
