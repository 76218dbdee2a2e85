"""Handing results from worker threads to the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import SignalInstance


def deliver(signal: SignalInstance, *args: object) -> None:
    """Emit from a worker thread to a widget that may have been closed meanwhile.

    The signal's receivers live on the GUI thread, so the emission is queued there; a widget
    destroyed while the worker ran leaves nothing to show the news in, and that is not an error.
    """
    try:
        signal.emit(*args)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
