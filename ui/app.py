"""Starting the Qt application around a ward."""

from __future__ import annotations

import logging
from dataclasses import replace
from importlib import resources
from pathlib import Path

from PySide6.QtWidgets import QApplication

from alemmonitor.monitoring import WardMonitors
from alemmonitor.preferences import default_preferences_path, load_preferences, save_preferences
from alemmonitor.ward import CHAIR_LABEL, DEFAULT_CHAIRS, Ward
from ui.i18n import install_translators, translated
from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def style_sheet(*, night: bool = False) -> str:
    """The ward's style sheet from resources/, with the night colours over it if asked."""
    folder = resources.files("resources") / "style"
    sheet = (folder / "ward.qss").read_text(encoding="utf-8")
    if night:
        sheet += "\n" + (folder / "night.qss").read_text(encoding="utf-8")
    return sheet


def run_app(
    ward: Ward,
    *,
    nurse: str,
    demo_folder: Path | None = None,
    preferences_path: Path | None = None,
    language: str | None = None,
) -> int:
    """Open the ward window and run until it is closed; returns the exit code.

    With `demo_folder`, the ward is filled with the demonstration and simulated monitors serve
    on pseudo-terminals in that folder. Preferences (night colours) live at `preferences_path`
    (default: the user's configuration folder). The window speaks `language` ('de', 'en'; the
    system's language when None).
    """
    preferences_path = preferences_path or default_preferences_path()
    preferences = load_preferences(preferences_path)
    demo = demo_folder is not None
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    app.setApplicationName("AlemMonitor")
    install_translators(app, language)
    app.setStyleSheet(style_sheet(night=preferences.night))
    monitors = WardMonitors(ward)
    simulators = None
    if demo_folder is not None:
        # Only the demonstration needs the simulated monitors: a ward's start does not load them.
        from alemmonitor.demo import NURSE, DemoMonitors, build_demo_ward  # noqa: PLC0415

        nurse = nurse or NURSE
    # A new record names its chairs in the window's language.
    ward.ensure_beds(DEFAULT_CHAIRS, nurse or "setup", label=translated(CHAIR_LABEL))
    if demo_folder is not None:
        build_demo_ward(ward)
        simulators = DemoMonitors(ward, monitors, demo_folder)
        try:
            simulators.start()
        except OSError as exc:  # no pseudo-terminals on Windows: a ward without monitors
            log.warning("demo monitors unavailable: %s", exc)

    def night_changed(night: bool) -> None:  # noqa: FBT001 - the action's checked state
        app.setStyleSheet(style_sheet(night=night))
        save_preferences(replace(preferences, night=night), preferences_path)

    window = MainWindow(ward, nurse, monitors=monitors, demo=demo, night=preferences.night)
    window.night_changed.connect(night_changed)
    if not demo:
        # The chairs' monitors as the nurses connected them: read again after a restart, once
        # the ward is on the screen and the alarm engine listens (it starts first): opening
        # ports need not hold up the first sight.
        def connect_assigned() -> None:
            started = monitors.connect_assigned()
            log.info("reading %d assigned monitor(s)", len(started))

        window.after_first_paint.then(connect_assigned)
    screen = app.primaryScreen()
    if screen is not None:  # without a window manager, maximising alone does nothing
        window.setGeometry(screen.availableGeometry())
    window.showMaximized()
    try:
        return app.exec()
    finally:
        monitors.stop()
        if simulators is not None:
            simulators.stop()
