"""Every save the record reported as done survives the app being killed at any moment."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from alemmonitor.clock import ManualClock
from alemmonitor.store import Store

WRITER = Path(__file__).with_name("durability_writer.py")
ROUNDS = 50
MOST_SAVES_PER_ROUND = 60


def run_writer_until_killed(path: Path, saves: int) -> list[str]:
    """Start the writer, read `saves` reported ids, then SIGKILL it; returns the ids."""
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stderr is not None
    reported: list[str] = []
    try:
        for line in writer.stdout:
            reported.append(line.strip())
            if len(reported) == saves:
                break
    finally:
        writer.kill()
        writer.wait()
        errors = writer.stderr.read()
        writer.stdout.close()
        writer.stderr.close()
    assert len(reported) == saves, f"the writer stopped early: {errors}"
    assert writer.returncode == -signal.SIGKILL, errors
    return reported


@pytest.mark.slow
def test_every_reported_save_survives_being_killed(tmp_path: Path, clock: ManualClock) -> None:
    path = tmp_path / "ward.sqlite3"
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    reported: list[str] = []

    for _ in range(ROUNDS):
        reported += run_writer_until_killed(path, rng.randint(1, MOST_SAVES_PER_ROUND))

    checker = sqlite3.connect(path)
    try:
        assert checker.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {row[0] for row in checker.execute("SELECT id FROM observations")}
    finally:
        checker.close()
    lost = [saved for saved in reported if saved not in stored]
    assert lost == [], f"seed {seed}: {len(lost)} of {len(reported)} reported saves lost"
    assert len(set(reported)) == len(reported)
    with Store.open(path, clock) as store:
        current = {row["id"] for row in store.current("observations")}
    assert set(reported) <= current
