"""Single-observation saves per second: the record (`Store.insert`) against plain sqlite3.

Each save is its own transaction at the record's pragmas (WAL, synchronous=FULL, foreign keys,
busy timeout) on a real file in a temporary folder. Plain sqlite3 writes the same row into the
same schema, created by the app's own migration, with BEGIN IMMEDIATE / INSERT / COMMIT. Runs are
interleaved, alternating which goes first, and each run gets a fresh file; medians are compared.

Usage: python bench/store.py [--saves 2000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alemmonitor.clock import SystemClock, to_iso
from alemmonitor.store import BUSY_TIMEOUT_MS, PRAGMAS, Store

TARGET_RATIO = 0.5
COLUMNS = (
    "id",
    "root_id",
    "entered_at",
    "entered_by",
    "parameter",
    "value",
    "unit",
    "measured_at",
    "received_at",
    "source",
)
INSERT = (
    f"INSERT INTO observations ({', '.join(COLUMNS)}) "  # noqa: S608 - literal column names
    f"VALUES ({', '.join('?' for _ in COLUMNS)})"
)


def reading(clock: SystemClock, beat: int) -> dict[str, Any]:
    now = to_iso(clock.now())
    return {
        "parameter": "hr",
        "value": 60.0 + beat % 40,
        "unit": "/min",
        "measured_at": now,
        "received_at": now,
        "source": "simulator",
    }


def store_saves_per_second(path: Path, saves: int) -> float:
    clock = SystemClock()
    with Store.open(path, clock) as store:
        start = time.perf_counter()
        for beat in range(saves):
            store.insert("observations", reading(clock, beat), by="bench")
        elapsed = time.perf_counter() - start
    return saves / elapsed


def plain_saves_per_second(path: Path, saves: int) -> float:
    clock = SystemClock()
    Store.open(path, clock).close()  # the schema, by the app's own migration
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        for name, value in PRAGMAS.items():
            connection.execute(f"PRAGMA {name} = {value}")
        for name, value in PRAGMAS.items():
            actual = connection.execute(f"PRAGMA {name}").fetchone()[0]
            assert actual == value, f"plain sqlite3: PRAGMA {name} is {actual}, not {value}"
        start = time.perf_counter()
        for beat in range(saves):
            row_id = str(uuid.uuid4())
            row = {
                **reading(clock, beat),
                "id": row_id,
                "root_id": row_id,
                "entered_at": to_iso(clock.now()),
                "entered_by": "bench",
            }
            connection.execute("BEGIN IMMEDIATE")
            connection.execute(INSERT, [row[column] for column in COLUMNS])
            connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
    finally:
        connection.close()
    return saves / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=2000, help="saves per run (default 2000)")
    parser.add_argument("--rounds", type=int, default=5, help="runs of each (default 5)")
    args = parser.parse_args()

    runs: dict[str, Callable[[Path, int], float]] = {
        "Store.insert": store_saves_per_second,
        "plain sqlite3": plain_saves_per_second,
    }
    figures: dict[str, list[float]] = {name: [] for name in runs}
    print(
        f"{args.saves} single-observation saves per run, {args.rounds} rounds, "
        f"SQLite {sqlite3.sqlite_version}, pragmas: "
        + ", ".join(f"{name}={value}" for name, value in PRAGMAS.items())
    )
    with tempfile.TemporaryDirectory(prefix="alemmonitor-bench-") as folder:
        for round_number in range(args.rounds):
            order = list(runs) if round_number % 2 == 0 else list(reversed(runs))
            line = []
            for name in order:
                path = Path(folder) / f"{name.replace(' ', '-')}-{round_number}.sqlite3"
                figures[name].append(runs[name](path, args.saves))
                line.append(f"{name} {figures[name][-1]:8.0f}/s")
            print(f"  round {round_number + 1}: " + "   ".join(line))

    store = statistics.median(figures["Store.insert"])
    plain = statistics.median(figures["plain sqlite3"])
    ratio = store / plain
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(f"Store.insert   median {store:8.0f} saves/s")
    print(f"plain sqlite3  median {plain:8.0f} saves/s")
    print(f"ratio Store/plain     {ratio:8.2f}  ({verdict} the target of >= {TARGET_RATIO})")


if __name__ == "__main__":
    main()
