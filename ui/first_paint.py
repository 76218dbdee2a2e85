"""Work that waits until a window has been painted once: what a nurse sees first comes first.

A timer of 0 ms set while a window is built fires before the window's first paint: Qt delivers
posted timers before it paints. Work queued here runs just after that paint instead, or after
`LATEST_MS` if the window is never painted (started minimised, or never shown).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

LATEST_MS = 2000
"""The longest the work waits for a paint that does not come."""


class AfterFirstPaint(QObject):
    """Runs the callbacks given to `then`, in order, once `window` was first painted."""

    def __init__(self, window: QWidget, latest_ms: int = LATEST_MS) -> None:
        super().__init__(window)
        self._window = window
        self._waiting: list[Callable[[], object]] = []
        self._done = False
        window.installEventFilter(self)
        # This object is each timer's context: a window closed meanwhile cancels them.
        QTimer.singleShot(latest_ms, self, self._run)

    @property
    def done(self) -> bool:
        """Whether the window was painted (or the wait is over) and the work has run."""
        return self._done

    def then(self, callback: Callable[[], object]) -> None:
        """Run `callback` after the first paint (at once on the next turn, if that was)."""
        if self._done:
            QTimer.singleShot(0, self, callback)
        else:
            self._waiting.append(callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Note the window's first paint; the event itself goes on as usual."""
        if watched is self._window and event.type() == QEvent.Type.Paint:
            # The window and its children are painted while this event is delivered, in one go;
            # a timer set now fires after that.
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        if self._done:
            return
        self._done = True
        self._window.removeEventFilter(self)
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
