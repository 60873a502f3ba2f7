"""jctui: a terminal dashboard for the key figures of German Jobcenters."""

from __future__ import annotations

__version__ = "0.1.0"
