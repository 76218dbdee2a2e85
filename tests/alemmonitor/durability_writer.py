"""Saves simulated heart rates into a record until it is killed.

Usage: python durability_writer.py RECORD_FILE

After each save returns, the saved row's id is printed on its own line and flushed, so whoever
reads the output knows exactly which saves the record reported as done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from alemmonitor.clock import SystemClock, to_iso
from alemmonitor.store import Store


def main(argv: list[str]) -> int:
    clock = SystemClock()
    with Store.open(Path(argv[1]), clock) as store:
        beat = 0
        while True:
            now = to_iso(clock.now())
            saved = store.insert(
                "observations",
                {
                    "parameter": "hr",
                    "value": 60.0 + beat % 40,
                    "unit": "/min",
                    "measured_at": now,
                    "received_at": now,
                    "source": "simulator",
                },
                by="durability writer",
            )
            print(saved["id"], flush=True)
            beat += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
