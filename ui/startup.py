"""Checks before Qt starts: a display to draw on and the system libraries Qt's window needs.

On a bare Linux machine Qt's xcb plugin aborts the process with a message about plugins; we
name the missing Debian/Ubuntu packages instead.
"""

from __future__ import annotations

import os
import sys

# Shared libraries Qt's xcb platform plugin loads, and the Debian/Ubuntu package of each.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def missing_xcb_packages() -> list[str]:
    """The packages whose libraries Qt's xcb plugin needs and cannot load."""
    import ctypes  # noqa: PLC0415 - only a start on X11 looks for them

    missing = []
    for library, package in XCB_LIBRARIES.items():
        try:
            ctypes.CDLL(library)
        except OSError:
            missing.append(package)
    return missing


def display_problem() -> str | None:
    """Why a window cannot open here, in words a person can act on; None when it can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and platform != "xcb":
        return None  # offscreen, wayland, vnc: the user chose; Qt reports its own problems
    if not platform and os.environ.get("WAYLAND_DISPLAY"):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "no display to open the window on (DISPLAY is not set). Start it from the desktop, "
            "or use a command such as 'alemmonitor patients list' that needs no window."
        )
    missing = missing_xcb_packages()
    if missing:
        return (
            "the window cannot open: this system lacks libraries Qt needs. Install them with\n"
            f"  sudo apt-get install {' '.join(missing)}\n"
            "(package names for Debian and Ubuntu), then start AlemMonitor again."
        )
    return None


def show_fatal(message: str, *, language: str | None = None) -> None:
    """Show an error in a message box, for people who started the app from a desktop icon."""
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: PLC0415

    from ui.i18n import install_translators, translated  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    install_translators(app, language)
    title = QCoreApplication.translate("Startup", "AlemMonitor cannot start")
    QMessageBox.critical(None, title, translated(message))
    del app


def offer_demo(record: str, *, language: str | None = None) -> bool:
    """Ask, on a first start with an empty record, whether to open the demonstration ward."""
    from PySide6.QtCore import QCoreApplication  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: PLC0415

    from ui.i18n import install_translators  # noqa: PLC0415

    app = QApplication.instance() or QApplication([])
    install_translators(app, language)
    box = QMessageBox()
    box.setWindowTitle("AlemMonitor")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(QCoreApplication.translate("Startup", "The record has no patients yet."))
    box.setInformativeText(
        QCoreApplication.translate(
            "Startup",
            "Start with your ward ({record}), or look around in a demonstration ward with "
            "fictional patients and simulated monitors? The demonstration uses a separate, "
            "temporary record; nothing of it is kept.",
        ).format(record=record)
    )
    ward_button = box.addButton(
        QCoreApplication.translate("Startup", "Start with my ward"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    demo_button = box.addButton(
        QCoreApplication.translate("Startup", "Open the demonstration"),
        QMessageBox.ButtonRole.ActionRole,
    )
    box.setDefaultButton(ward_button)
    box.exec()
    del app
    return box.clickedButton() is demo_button
