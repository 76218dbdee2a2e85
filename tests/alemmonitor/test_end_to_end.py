"""Simulated monitors over real pseudo-terminals, through capture, into the record and back out.

The simulator writes through a recording port, so the test knows exactly what the monitor sent
and compares it with what `alemmonitor export` gives back.
"""

from __future__ import annotations

import csv
import io
import queue
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from alemmonitor.clock import SystemClock
from alemmonitor.monitoring import WardMonitors
from alemmonitor.protocol import Protocol
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from devices.hl7 import MllpFramer, decode_observations, parse_message
from devices.masimo import LineFramer, decode_line
from devices.session import LinkEvent, LinkState

APP = str(Path(sys.executable).parent / "alemmonitor")


def sent_values(protocol: str, data: bytes) -> list[tuple[str, float]]:
    """(parameter, value) of every reading in what a monitor sent, decoded independently."""
    values: list[tuple[str, float]] = []
    if protocol == "masimo":
        decoded = [decode_line(line) for line in LineFramer().feed(data)]
    else:
        decoded = [decode_observations(parse_message(m)) for m in MllpFramer().feed(data)]
    for item in decoded:
        values += [(r.parameter.value, r.value) for r in item.readings]
    return values


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([APP, *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("protocol", ["masimo", "hl7"])
def test_simulated_values_are_captured_and_exported_exactly(
    tmp_path: Path, protocol: str, simulated_monitor: Any
) -> None:
    db = str(tmp_path / "ward.sqlite3")
    link = tmp_path / "monitor"
    with simulated_monitor(protocol, link) as port:
        captured = run_app(
            "capture",
            "--protocol",
            protocol,
            "--port",
            str(link),
            "--bed",
            "Chair 2",
            "--seconds",
            "2",
            "--db",
            db,
        )
        sent = port.sent()
    assert captured.returncode == 0, captured.stderr
    assert "frames rejected: 0" in captured.stdout

    exported = run_app("export", "--format", "csv", "--db", db)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    stored = [(row["parameter"], float(row["value"])) for row in rows]
    sent_readings = sent_values(protocol, sent)

    assert stored, "nothing was captured"
    # What was stored is exactly what the monitor sent while the capture listened: one unbroken
    # stretch of its output, nothing altered, dropped or added in between.
    starts = [
        i
        for i in range(len(sent_readings) - len(stored) + 1)
        if sent_readings[i : i + len(stored)] == stored
    ]
    assert starts, "the stored values are not a stretch of what the monitor sent"
    assert {row["bed"] for row in rows} == {"Chair 2"}
    assert {row["source"] for row in rows} == {protocol}
    assert all(datetime.fromisoformat(row["time"]).tzinfo is not None for row in rows)


def test_pulling_the_port_is_recorded_within_two_seconds_and_the_link_recovers(
    tmp_path: Path, protocol: Protocol, simulated_monitor: Any
) -> None:
    # Real clocks: the session times silence and retries on the monotonic clock.
    clock = SystemClock()
    ward = Ward(Store.open(tmp_path / "ward.sqlite3", clock), protocol, clock)
    bed = ward.ensure_beds(6, "AB")[0]
    events: queue.Queue[LinkEvent] = queue.Queue()
    monitors = WardMonitors(ward)
    monitors.on_link = lambda _bed, event: events.put(event)
    link = tmp_path / "ttyUSB0"

    def wait_for(state: LinkState) -> LinkEvent:
        while True:
            event = events.get(timeout=10)
            if event.state is state:
                return event

    with simulated_monitor("masimo", link):
        monitors.connect(bed, "masimo", str(link))
        wait_for(LinkState.RECEIVING)
        pulled = time.monotonic()
    lost = wait_for(LinkState.PORT_LOST)
    assert lost.monotonic - pulled <= 2.0

    with simulated_monitor("masimo", link):
        reconnected = wait_for(LinkState.CONNECTED)
        wait_for(LinkState.RECEIVING)
    monitors.stop()
    # Retries run at most every 5 s, so the monitor is found again within that.
    assert reconnected.monotonic - lost.monotonic <= 5.5

    states = [
        row["state"]
        for row in ward.store.query(
            "SELECT state FROM device_events WHERE bed_id = ? ORDER BY at, rowid", (bed.id,)
        )
    ]
    assert states[:3] == ["connected", "receiving", "port lost"]
    after_loss = [s for s in states[3:] if s != "port unavailable"]
    assert after_loss[:2] == ["connected", "receiving"]
    latest = monitors.latest(bed.id, None)  # a free chair: what its monitor sent
    assert set(latest) == {"spo2", "pr"}
    assert {value.source for value in latest.values()} == {"masimo"}
    ward.store.close()
