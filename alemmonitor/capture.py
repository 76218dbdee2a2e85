"""Headless capture: a monitor's output, live from a port or replayed, into the record."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alemmonitor.acquisition import Link, Recorder
from alemmonitor.errors import AlemMonitorError
from alemmonitor.ward import Admission, Bed, Ward
from devices.base import FrameStats, MonitorDriver, driver_class
from devices.errors import DeviceError
from devices.session import DeviceSession, LinkEvent, ReadingBatch, open_port

REPLAY_CHUNK = 256
"""Bytes handed to the driver at a time when replaying, like reads from a port."""


class CaptureError(AlemMonitorError):
    """The port cannot be opened, or the file does not hold that protocol's frames."""


@dataclass
class CaptureSummary:
    """What a capture did: frames decoded and rejected (by reason), readings stored."""

    stats: FrameStats
    stored: Counter[str]
    link_events: list[LinkEvent] = field(default_factory=list)
    failed_batches: int = 0

    def lines(self) -> list[str]:
        """The summary as printed at the end of a capture."""
        rejected = sum(self.stats.rejected.values())
        reasons = ", ".join(f"{n} {why}" for why, n in self.stats.rejected.most_common())
        stored = ", ".join(f"{name} {n}" for name, n in sorted(self.stored.items()))
        lines = [
            f"frames decoded: {self.stats.decoded}",
            f"frames rejected: {rejected}" + (f" ({reasons})" if reasons else ""),
            f"implausible values dropped: {self.stats.implausible}",
            f"readings stored: {sum(self.stored.values())}" + (f" ({stored})" if stored else ""),
        ]
        if self.failed_batches:
            lines.append(f"batches NOT stored (record unavailable): {self.failed_batches}")
        lines += [f"link {e.at:%H:%M:%S} {e.state.value}: {e.detail}" for e in self.link_events]
        return lines


def make_driver(protocol: str) -> MonitorDriver:
    """A fresh driver of the named protocol; CaptureError naming the choices if unknown."""
    try:
        return driver_class(protocol)()
    except DeviceError as exc:
        raise CaptureError(str(exc)) from exc


def _recorder(
    ward: Ward, protocol: str, port: str, bed: Bed, admission: Admission | None
) -> Recorder:
    day_id = admission.id if admission is not None else None

    def resolve_day() -> str | None:
        if day_id is not None:
            return day_id
        current = ward.admission_on_bed(bed)
        return current.id if current is not None else None

    return Recorder(
        ward.store, Link(protocol, port, bed.id), resolve_day=resolve_day, source=protocol
    )


def replay(
    ward: Ward, protocol: str, path: Path, bed: Bed, admission: Admission | None
) -> CaptureSummary:
    """Feed a raw byte capture through the protocol's driver as if it came from the port."""
    driver = make_driver(protocol)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CaptureError(f"{path}: cannot be read ({exc.strerror})") from exc
    recorder = _recorder(ward, protocol, f"replay:{path}", bed, admission)
    stats = FrameStats()
    for offset in range(0, len(data), REPLAY_CHUNK):
        received = driver.receive(data[offset : offset + REPLAY_CHUNK])
        stats.count(received)
        now = ward.clock.now()
        for decoded in received.decoded:
            recorder.on_readings(
                ReadingBatch(
                    decoded.readings, decoded.status, decoded.unmapped, now, ward.clock.monotonic()
                )
            )
    if stats.decoded == 0:
        reasons = ", ".join(f"{n} {why}" for why, n in stats.rejected.most_common()) or "no frames"
        raise CaptureError(f"{path} does not hold {protocol} frames ({reasons})")
    return CaptureSummary(stats, recorder.stored, failed_batches=recorder.failed_batches)


def capture_live(
    ward: Ward,
    protocol: str,
    url: str,
    bed: Bed,
    admission: Admission | None,
    *,
    seconds: float | None,
    serial_overrides: Mapping[str, Any] | None = None,
    stop: threading.Event | None = None,
) -> CaptureSummary:
    """Read a live port for `seconds` (or until `stop` is set) and store what arrives."""
    driver = make_driver(protocol)
    settings = driver.serial.overridden(**(serial_overrides or {}))
    try:
        open_port(url, settings).close()  # fail now, clearly, rather than retry silently
    except (OSError, ValueError) as exc:  # SerialException is an OSError
        raise CaptureError(f"cannot open port {url}: {exc}") from exc
    recorder = _recorder(ward, protocol, url, bed, admission)
    session = DeviceSession(
        url,
        driver,
        on_readings=recorder.on_readings,
        on_link=recorder.on_link_event,
        serial_overrides=serial_overrides,
    )
    stop = stop or threading.Event()
    session.start()
    try:
        stop.wait(seconds)
    except KeyboardInterrupt:
        pass  # Ctrl+C is how a capture without --seconds ends: summarise what was stored
    finally:
        session.stop()
    return CaptureSummary(
        session.stats, recorder.stored, recorder.link_events, recorder.failed_batches
    )
