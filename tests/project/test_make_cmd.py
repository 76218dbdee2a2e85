"""`make.cmd`, the Windows twin of the Makefile, run by a real cmd (Wine's) on a project copy.

The programs it calls (py, python, ruff, mypy, pytest, ...) are one stand-in Windows program,
`windows_tool.c`, built here with MinGW: it notes how it was called and fails when told to, so
the tests see what a ward laptop's IT would: what runs, in which order, and what exit code the
command leaves. Wine's cmd is stricter than Windows' own in places (it ends only a loop's turn at
`exit /b`, and judges `call :label || ...` by the wrong code), so a script that passes here keeps
to the forms both read alike.

Needs Wine and MinGW-w64 (Debian: `apt-get install wine64 gcc-mingw-w64-x86-64`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL_SOURCE = Path(__file__).with_name("windows_tool.c")
WINE = shutil.which("wine")
MINGW = shutil.which("x86_64-w64-mingw32-gcc")

pytestmark = pytest.mark.skipif(
    WINE is None or MINGW is None,
    reason="runs make.cmd in Wine's cmd: needs wine and x86_64-w64-mingw32-gcc "
    "(apt-get install wine64 gcc-mingw-w64-x86-64)",
)

INSTALL = [
    "where py",
    "py -3 -c import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)",
    "py -3 -m venv .venv",
    "python -m pip install --quiet --upgrade pip",
    "python -m pip install --quiet -e .[dev]",
]
LINT = ["ruff check .", "ruff format --check .", "mypy", "lint-imports"]
TESTS = ["pytest [QT_QPA_PLATFORM=offscreen]"]
UP_TO_DATE = [
    (
        "python -c import pathlib, sys; sys.exit(pathlib.Path('pyproject.toml').read_bytes() != "
        "pathlib.Path(sys.argv[1]).read_bytes()) .venv\\.installed"
    )
]


def windows_path(path: Path) -> str:
    """`path` as Wine's programs see it: the Linux root is drive Z."""
    return "Z:" + str(path).replace("/", "\\")


@dataclass(frozen=True)
class Outcome:
    """What `make.cmd TARGET` left: its exit code, what it printed, what it ran."""

    code: int
    output: str
    ran: list[str]


@pytest.fixture(scope="module")
def wine_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A Wine prefix of its own, made once for the module."""
    prefix = tmp_path_factory.mktemp("wine")
    env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all"}
    subprocess.run([str(WINE), "wineboot", "--init"], env=env, check=True, timeout=300)
    return env


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stand-in Windows program."""
    built = tmp_path_factory.mktemp("tool") / "tool.exe"
    subprocess.run([str(MINGW), "-O1", "-o", str(built), str(TOOL_SOURCE)], check=True)
    return built


@pytest.fixture
def project(tmp_path: Path, tool: Path) -> Path:
    """A checkout's files make.cmd reads; py, where and python on the PATH (no venv yet)."""
    folder = tmp_path / "project"
    (folder / "resources" / "i18n").mkdir(parents=True)
    shutil.copy(ROOT / "make.cmd", folder)
    shutil.copy(ROOT / "pyproject.toml", folder)
    for language in ("de", "fr"):
        (folder / "resources" / "i18n" / f"alemmonitor_{language}.ts").touch()
    programs = tmp_path / "programs"
    programs.mkdir()
    for name in ("py", "where", "python"):
        shutil.copy(tool, programs / f"{name}.exe")
    return folder


@pytest.fixture
def make(project: Path, wine_env: dict[str, str]) -> Callable[..., Outcome]:
    """Run `make.cmd TARGET` in the project with the stand-ins told `stub` (name=value)."""

    def run(target: str, **stub: str) -> Outcome:
        log = project.parent / "ran.txt"
        log.unlink(missing_ok=True)
        env = {
            **wine_env,
            **{name.upper(): value for name, value in stub.items()},
            "STUB_LOG": windows_path(log),
            "WINEPATH": windows_path(project.parent / "programs"),
        }
        done = subprocess.run(
            [str(WINE), "cmd", "/c", "make.cmd", target],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        ran = log.read_text().splitlines() if log.exists() else []
        output = (done.stdout + done.stderr).replace("\r", "")
        return Outcome(done.returncode, output, ran)

    return run


def test_a_fresh_machine_gets_its_environment_then_lint_and_tests_offscreen(
    make: Callable[..., Outcome],
) -> None:
    outcome = make("test")
    assert outcome.code == 0, outcome.output
    assert outcome.ran == INSTALL + LINT + TESTS


def test_the_environment_is_made_once_and_again_when_the_dependencies_change(
    make: Callable[..., Outcome],
) -> None:
    make("test")
    assert make("test").ran == UP_TO_DATE + LINT + TESTS
    # The check says pyproject.toml differs from the one installed: install again, keeping the
    # virtual environment.
    changed = make("run", stub_fail_python="1", stub_fail_arg="-c")
    assert changed.code == 0
    assert changed.ran == [*UP_TO_DATE, *INSTALL[:2], *INSTALL[3:], "alemmonitor"]


def test_failing_tests_fail_the_command_with_their_exit_code(
    make: Callable[..., Outcome],
) -> None:
    outcome = make("test", stub_fail_pytest="3")
    assert outcome.code == 3
    assert outcome.ran[-1] == TESTS[0]


@pytest.mark.parametrize(
    ("failing", "last"),
    [
        ({"stub_fail_ruff": "1", "stub_fail_arg": "check"}, "ruff check ."),
        ({"stub_fail_ruff": "1", "stub_fail_arg": "format"}, "ruff format --check ."),
        ({"stub_fail_mypy": "1"}, "mypy"),
        ({"stub_fail_lint_imports": "1"}, "lint-imports"),
    ],
)
def test_a_lint_failure_stops_before_the_tests(
    make: Callable[..., Outcome], failing: dict[str, str], last: str
) -> None:
    outcome = make("test", **failing)
    assert outcome.code == 1
    assert outcome.ran[-1] == last


def test_an_install_that_stopped_half_way_is_redone(make: Callable[..., Outcome]) -> None:
    broken = make("run", stub_fail_python="1", stub_fail_arg="-m")
    assert broken.code == 1
    assert "alemmonitor" not in broken.ran
    again = make("run")
    assert again.code == 0
    assert again.ran == [*INSTALL[:2], *INSTALL[3:], "alemmonitor"]


def test_without_the_py_launcher_python_makes_the_environment(
    make: Callable[..., Outcome],
) -> None:
    outcome = make("demo", stub_fail_where="1")
    assert outcome.code == 0
    assert outcome.ran[1:3] == [
        "python -c import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)",
        "python -m venv .venv",
    ]
    assert outcome.ran[-1] == "alemmonitor --demo"


def test_a_python_too_old_is_named_and_nothing_is_installed(
    make: Callable[..., Outcome],
) -> None:
    outcome = make("run", stub_old_python="1")
    assert outcome.code == 1
    assert "AlemMonitor needs Python 3.11 or newer" in outcome.output
    assert outcome.ran == INSTALL[:2]


def test_the_app_s_exit_code_is_the_command_s(make: Callable[..., Outcome]) -> None:
    assert make("run", stub_fail_alemmonitor="4").code == 4


def test_translations_are_made_for_each_catalog_and_a_failure_is_the_command_s(
    make: Callable[..., Outcome],
) -> None:
    made = make("translations")
    assert made.code == 0
    assert [line.split()[0] + " " + line.split()[-1] for line in made.ran[len(INSTALL) :]] == [
        r"pyside6-lupdate resources\i18n\alemmonitor_de.ts",
        r"pyside6-lrelease resources\i18n\alemmonitor_de.ts",
        r"pyside6-lupdate resources\i18n\alemmonitor_fr.ts",
        r"pyside6-lrelease resources\i18n\alemmonitor_fr.ts",
    ]
    assert make("translations", stub_fail_pyside6_lupdate="1").code == 1


def test_an_unknown_target_shows_the_usage(make: Callable[..., Outcome]) -> None:
    outcome = make("deploy")
    assert outcome.code == 2
    assert "usage: make run | make demo | make test" in outcome.output
    assert outcome.ran == []
