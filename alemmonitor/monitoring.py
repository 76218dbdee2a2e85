"""The ward's monitors: which chair each feeds, their sessions, and the latest values per chair.

Latest values belong to the patient's day on the chair, not to the chair: when the next patient
sits down, the card and the vitals round start empty rather than offering the last patient's
values.

`WardMonitors` owns one `DeviceSession` and `Recorder` per connected chair; everything it reports
arrives on the sessions' threads and is kept thread-safe here, so a GUI can read the latest values
and link states from its own thread at any time without touching the disk. `probe` listens to a
monitor for a few seconds without storing anything: the "test connection" before a nurse commits.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from alemmonitor.acquisition import Link, Recorder
from alemmonitor.clock import from_iso
from alemmonitor.ward import Bed, MonitorAssignment, Ward
from devices.base import driver_class
from devices.errors import DeviceError
from devices.readings import Parameter, Reading
from devices.session import DeviceSession, LinkEvent, LinkState, ReadingBatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LatestValue:
    """The newest value of one parameter on a chair: value, unit, when, and where from."""

    value: float
    unit: str
    at: datetime
    source: str


@dataclass(frozen=True)
class MonitorLink:
    """A chair's monitor: protocol, port, and the link's latest state."""

    protocol: str
    port: str
    state: LinkState | None
    detail: str


class WardMonitors:
    """The monitors of the unit's chairs. Thread-safe.

    `on_change(bed_id)` (settable) is called on a session's thread whenever a chair's values or
    link state changed; a GUI turns that into a repaint on its own thread. `on_readings(bed_id,
    day_id, batch)` and `on_link(bed_id, event)` (settable) hear of every stored batch and link
    event first, on the session's thread: the alarms are evaluated there, as readings arrive.
    """

    def __init__(self, ward: Ward, on_change: Callable[[str], None] | None = None) -> None:
        self.ward = ward
        self.on_change = on_change
        self.on_readings: Callable[[str, str | None, ReadingBatch], None] | None = None
        """Told of every stored batch with the chair's and day's ids (on the session's thread)."""
        self.on_link: Callable[[str, LinkEvent], None] | None = None
        """Told of every link event with the chair's id (on the session's thread)."""
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[DeviceSession, Recorder]] = {}
        self._latest: dict[tuple[str, str | None], dict[str, LatestValue]] = {}
        self._links: dict[str, MonitorLink] = {}

    def connect(
        self,
        bed: Bed,
        protocol: str,
        port: str,
        *,
        source: str | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        """Start reading the monitor on `port` for `bed` (replacing any monitor it had).

        `settings` overrides the protocol's serial line settings. Raises DeviceError for an
        unknown protocol, leaving the chair's current monitor running.
        """
        driver = driver_class(protocol)()
        self.disconnect(bed)
        link = Link(protocol, port, bed.id)

        def resolve_day() -> str | None:
            admission = self.ward.admission_on_bed(bed)
            return admission.id if admission is not None else None

        recorder = Recorder(
            self.ward.store,
            link,
            resolve_day=resolve_day,
            source=source or protocol,
            on_stored=lambda batch, day_id: self._stored(bed.id, day_id, batch, source or protocol),
            on_link=lambda event: self._linked(bed.id, link, event),
        )
        session = DeviceSession(
            port,
            driver,
            on_readings=recorder.on_readings,
            on_link=recorder.on_link_event,
            serial_overrides=settings,
            wall=self.ward.clock.now,
            monotonic=self.ward.clock.monotonic,
        )
        with self._lock:
            self._sessions[bed.id] = (session, recorder)
            self._links[bed.id] = MonitorLink(protocol, port, None, "connecting")
        session.start()

    def connect_assigned(self) -> list[MonitorAssignment]:
        """Start reading every chair's monitor as the record has it (at app start).

        Returns the assignments started; one naming a protocol this version does not speak is
        logged and left alone, so the other chairs are still read.
        """
        started = []
        for assignment in self.ward.monitor_assignments():
            try:
                self.connect(
                    assignment.bed,
                    assignment.protocol,
                    assignment.port,
                    settings=assignment.settings,
                )
            except DeviceError as exc:
                log.error(
                    "%s: monitor on %s not started: %s", assignment.bed.label, assignment.port, exc
                )
                continue
            started.append(assignment)
        return started

    def chair_reading(self, port: str) -> str | None:
        """The id of the chair whose monitor session reads `port`, if one does."""
        wanted = port.strip().casefold()
        with self._lock:
            return next(
                (
                    bed_id
                    for bed_id, link in self._links.items()
                    if link.port.strip().casefold() == wanted
                ),
                None,
            )

    def disconnect(self, bed: Bed) -> None:
        """Stop reading the chair's monitor, if it has one."""
        with self._lock:
            entry = self._sessions.pop(bed.id, None)
            self._links.pop(bed.id, None)
        if entry is not None:
            entry[0].stop()

    def stop(self) -> None:
        """Stop every session (the app is closing)."""
        with self._lock:
            entries = list(self._sessions.values())
            self._sessions.clear()
        for session, _ in entries:
            session.stop()

    def latest(self, bed_id: str, day_id: str | None) -> dict[str, LatestValue]:
        """The newest value of each parameter of the patient's day `day_id` on the chair (from
        the record at first, then live); with no day, what the chair's monitor sent since the
        app started while nobody was on it."""
        key = (bed_id, day_id)
        with self._lock:
            known = self._latest.get(key)
        if known is None:
            known = self._from_record(day_id) if day_id is not None else {}
            with self._lock:
                known = self._latest.setdefault(key, known)
        return dict(known)

    def link(self, bed_id: str) -> MonitorLink | None:
        """The chair's monitor and its link state, if it has one."""
        with self._lock:
            return self._links.get(bed_id)

    def note_manual(
        self,
        bed_id: str,
        day_id: str | None,
        values: dict[str, tuple[float, str]],
        at: datetime,
    ) -> None:
        """Take values a nurse entered into the latest values (after they were stored)."""
        self.latest(bed_id, day_id)  # what the record had first, so older values stay behind
        with self._lock:
            latest = self._current(bed_id, day_id)
            for parameter, (value, unit) in values.items():
                current = latest.get(parameter)
                if current is None or current.at <= at:
                    latest[parameter] = LatestValue(value, unit, at, "manual")
        self._changed(bed_id)

    def _from_record(self, day_id: str) -> dict[str, LatestValue]:
        # One indexed look per parameter (newest first, the first current row): grouping the
        # day's rows instead would read all of them, tens of thousands at 1 Hz.
        latest = {}
        for parameter in Parameter:
            rows = self.ward.store.query(
                """SELECT value, unit, measured_at, source FROM current_observations
                   WHERE day_id = ? AND parameter = ? ORDER BY measured_at DESC LIMIT 1""",
                (day_id, parameter.value),
            )
            if rows:
                row = rows[0]
                latest[parameter.value] = LatestValue(
                    row["value"], row["unit"], from_iso(row["measured_at"]), row["source"]
                )
        return latest

    def _current(self, bed_id: str, day_id: str | None) -> dict[str, LatestValue]:
        """The chair's values of the day `day_id`, forgetting any other day's (under the lock)."""
        for key in [k for k in self._latest if k[0] == bed_id and k[1] != day_id]:
            del self._latest[key]
        return self._latest.setdefault((bed_id, day_id), {})

    def _stored(self, bed_id: str, day_id: str | None, batch: ReadingBatch, source: str) -> None:
        if self.on_readings is not None:
            self.on_readings(bed_id, day_id, batch)
        self.latest(bed_id, day_id)  # load what the record had before the first live value
        with self._lock:
            latest = self._current(bed_id, day_id)
            for reading in batch.readings:
                latest[reading.parameter.value] = LatestValue(
                    reading.value, reading.unit, batch.received_at, source
                )
        self._changed(bed_id)

    def _linked(self, bed_id: str, link: Link, event: LinkEvent) -> None:
        with self._lock:
            if bed_id in self._sessions:
                self._links[bed_id] = MonitorLink(
                    link.protocol, link.port, event.state, event.detail
                )
        if self.on_link is not None:
            self.on_link(bed_id, event)
        self._changed(bed_id)

    def _changed(self, bed_id: str) -> None:
        if self.on_change is not None:
            self.on_change(bed_id)


@dataclass(frozen=True)
class ProbeResult:
    """What a test connection saw, in order: batches of readings, link states, frame counts."""

    protocol: str
    port: str
    batches: tuple[ReadingBatch, ...]
    link_events: tuple[LinkEvent, ...]
    frames_decoded: int
    frames_rejected: int

    @property
    def received(self) -> bool:
        """Whether the monitor sent at least one vital sign."""
        return any(batch.readings for batch in self.batches)

    def latest(self) -> dict[str, Reading]:
        """The newest reading of each parameter seen."""
        return {
            reading.parameter.value: reading for batch in self.batches for reading in batch.readings
        }


def probe(
    protocol: str,
    port: str,
    *,
    seconds: float,
    on_batch: Callable[[ReadingBatch], None] | None = None,
    on_link: Callable[[LinkEvent], None] | None = None,
    settings: Mapping[str, Any] | None = None,
    stop: threading.Event | None = None,
    wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    monotonic: Callable[[], float] = time.monotonic,
) -> ProbeResult:
    """Listen to the monitor on `port` for `seconds` (or until `stop` is set); store nothing.

    Blocks for that long: run it on a worker thread, never the GUI's. `on_batch` and `on_link`
    are told of readings and link states as they arrive, on the session's thread. Raises
    DeviceError for an unknown protocol.
    """
    driver = driver_class(protocol)()
    lock = threading.Lock()
    batches: list[ReadingBatch] = []
    events: list[LinkEvent] = []

    def readings_arrived(batch: ReadingBatch) -> None:
        with lock:
            batches.append(batch)
        if on_batch is not None:
            on_batch(batch)

    def link_changed(event: LinkEvent) -> None:
        with lock:
            events.append(event)
        if on_link is not None:
            on_link(event)

    session = DeviceSession(
        port,
        driver,
        on_readings=readings_arrived,
        on_link=link_changed,
        serial_overrides=settings,
        wall=wall,
        monotonic=monotonic,
    )
    session.start()
    try:
        (stop or threading.Event()).wait(seconds)
    finally:
        session.stop()
    with lock:
        return ProbeResult(
            protocol,
            port,
            tuple(batches),
            tuple(events),
            session.stats.decoded,
            sum(session.stats.rejected.values()),
        )
