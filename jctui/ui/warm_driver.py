"""The driver of a warm dashboard of `jctui serve` (jctui/ui/zygote.py): textual-serve's
WebDriver, started before any browser connected.

Why: a dashboard spends ~0.8 s of CPU from its fork to its figures on screen (composing,
styling, laying out and drawing the screen, reading the figure store). Twenty browsers
opening at once on two cores waited ~8 s for the last one's figures. A warm dashboard has
done all of that while nobody waited: it draws into /dev/null and reads an idle pipe until
a session adopts it (`adopt`), then it greets textual-serve as a fresh one would and sends
its whole screen at the session's size.

Until then it shows no one anything and takes no input; it follows its data as every
session does, so it is as fresh as a new one when adopted.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any, ClassVar

from textual import events
from textual.drivers._input_reader import InputReader
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size


class WarmWebDriver(WebDriver):
    """A WebDriver that starts its app unseen and goes on the air when adopted."""

    instance: ClassVar[WarmWebDriver | None] = None  # one app per process
    started: ClassVar[threading.Event] = threading.Event()  # the app runs: it may be adopted
    figures: ClassVar[threading.Event] = threading.Event()  # its first figures are drawn

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type(self).instance = self

    def start_application_mode(self) -> None:
        """Unseen: the app gets its size and draws (into /dev/null); no input is read."""
        size = Size(*self._size) if self._size is not None else Size(80, 24)
        loop = asyncio.get_running_loop()
        asyncio.run_coroutine_threadsafe(
            self._app._post_message(events.Resize(size, size)), loop=loop
        )
        type(self).started.set()

    def figures_shown(self) -> None:
        """The app's first figures are on its (unseen) screen: ready to be adopted."""
        type(self).figures.set()

    def adopt(self, width: int, height: int) -> None:
        """On the app's thread, once the session's streams are this process's 0, 1 and 2:
        greet textual-serve as a fresh app does, read the session's input, and send the
        whole screen at the session's size."""
        take_state = getattr(self._app, "take_session_state", None)
        if take_state is not None:
            take_state()
        self._input_reader.close()
        idle = getattr(self._input_reader, "_selector", None)  # Linux's: it watched the
        if idle is not None:  # idle pipe, closed now
            idle.close()
        self._input_reader = InputReader()  # the session's stdin, now file descriptor 0
        self._size = (width, height)
        # Textual's WebDriver starts an app blurred (an AppBlur, until the page's focus
        # event); each change of the app's focus restyles the whole screen (~40 ms of CPU
        # at 120x40), and the session's first key focused it again: paid twice, once on
        # that key. A warm dashboard stays focused, as it was drawn; the page's later
        # focus and blur events reach it as before.
        self._app.disable_messages(events.AppBlur)
        super().start_application_mode()  # the greeting, the modes, a Resize, the input
        self._app.call_later(self._app.enable_messages, events.AppBlur)  # after its blur
        self._app.screen.refresh(repaint=True, layout=True)  # all of it, even at one size
