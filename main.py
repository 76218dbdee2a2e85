"""AlemMonitor's entry point: wires settings -> record -> ward -> window, explicitly.

Headless subcommands never import Qt, so they run on machines without a display.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path

from alemmonitor.cli import EXIT_ERROR, Env, build_parser, open_ward, resolve, run_command
from alemmonitor.clock import SystemClock
from alemmonitor.errors import AlemMonitorError


def main(argv: Sequence[str] | None = None) -> int:
    """Run `alemmonitor` with `argv` (default: the process's arguments); returns the exit code."""
    args = resolve(build_parser().parse_args(argv))
    clock = SystemClock()
    if args.command is not None:
        return run_command(args, Env(clock, sys.stdout, sys.stderr))

    from ui.startup import display_problem  # noqa: PLC0415 - Qt only when a window is wanted

    problem = display_problem()
    if problem:
        print(f"alemmonitor: {problem}", file=sys.stderr)
        return EXIT_ERROR

    with ExitStack() as cleanup:
        demo_folder = None
        if args.demo:
            demo_folder = _scratch(cleanup)
            args.db = demo_folder / "demo.sqlite3"
        try:
            ward = open_ward(args, clock)
        except AlemMonitorError as exc:
            from ui.startup import show_fatal  # noqa: PLC0415

            print(f"alemmonitor: {exc}", file=sys.stderr)
            show_fatal(str(exc), language=args.lang)
            return EXIT_ERROR
        from ui.app import run_app  # noqa: PLC0415
        from ui.startup import offer_demo  # noqa: PLC0415

        if not args.demo and not ward.patients() and offer_demo(str(args.db), language=args.lang):
            # A first start on an empty record: look around in a separate, temporary one.
            ward.store.close()
            args.demo = True
            demo_folder = _scratch(cleanup)
            args.db = demo_folder / "demo.sqlite3"
            ward = open_ward(args, clock)
        with ward.store:
            return run_app(ward, nurse=args.by, demo_folder=demo_folder, language=args.lang)


def _scratch(cleanup: ExitStack) -> Path:
    """A temporary folder for the demonstration ward, removed when the app ends."""
    import tempfile  # noqa: PLC0415 - only the demonstration needs one

    return Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="alemmonitor-demo-")))


if __name__ == "__main__":
    sys.exit(main())
