"""Before Qt starts: without a display or Qt's X libraries, a clear message instead of an abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui import startup


def test_without_a_display_the_message_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    problem = startup.display_problem()
    assert problem is not None
    assert "DISPLAY is not set" in problem


def test_missing_x_libraries_are_named_with_their_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.setitem(startup.XCB_LIBRARIES, "libxcb-alem-absent.so.0", "libxcb-alem-absent0")
    problem = startup.display_problem()
    assert problem is not None
    assert "sudo apt-get install" in problem
    assert "libxcb-alem-absent0" in problem
    # Libraries that load are not listed.
    assert "libc6" not in problem


def test_offscreen_needs_no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert startup.display_problem() is None


def test_the_app_exits_with_the_message_instead_of_qts_abort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not sys.platform.startswith("linux"):
        # Windows and macOS draw without X: there is nothing to check before Qt starts.
        monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
        assert startup.display_problem() is None
        return
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "alemmonitor"), "--db", str(tmp_path / "w.sqlite3")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "no display to open the window on" in result.stderr
    assert "qt.qpa.plugin" not in result.stderr
