"""From a monitor to the record: readings become observations, link changes device events.

A `Recorder` is what a `DeviceSession` reports to. It runs on the session's thread and writes
through the store's one connection, each batch in one transaction. A write that fails (disk full,
file locked by another program for too long) is counted and logged, and the session goes on: the
next batch is tried again, and the failure is visible in `failed_batches`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from alemmonitor.clock import to_iso
from alemmonitor.errors import StoreError
from alemmonitor.store import Store, new_id
from devices.session import LinkEvent, ReadingBatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Link:
    """Which monitor feeds which chair: protocol, port and the chair's record id."""

    protocol: str
    port: str
    bed_id: str | None


class Recorder:
    """Stores a monitor's readings and link events. Thread-safe; called from the session's thread.

    `resolve_day()` names the infusion day the readings belong to (the patient on the chair now),
    or None when the chair is free; it is asked for every batch, so a patient changing chairs is
    followed. `source` is what the record shows as the readings' source (protocol or simulator).
    `on_stored(batch, day_id)` is told of every batch after its COMMIT returned, with the day it
    was stored for (None: the chair was free).
    """

    def __init__(
        self,
        store: Store,
        link: Link,
        *,
        resolve_day: Callable[[], str | None],
        source: str,
        on_stored: Callable[[ReadingBatch, str | None], None] | None = None,
        on_link: Callable[[LinkEvent], None] | None = None,
    ) -> None:
        self.store = store
        self.link = link
        self.source = source
        self._resolve_day = resolve_day
        self._on_stored = on_stored
        self._on_link = on_link
        self._lock = threading.Lock()
        self.stored: Counter[str] = Counter()
        self.failed_batches = 0
        self.link_events: list[LinkEvent] = []

    @property
    def entered_by(self) -> str:
        """Who the record names for device data: the monitor, not a nurse."""
        return f"monitor:{self.link.protocol}"

    def on_readings(self, batch: ReadingBatch) -> None:
        """Store one batch of readings as observations, in one transaction."""
        if not batch.readings:
            return
        received = to_iso(batch.received_at)
        try:
            day_id = self._resolve_day()
            rows = [
                {
                    "id": new_id(),
                    "day_id": day_id,
                    "bed_id": self.link.bed_id,
                    "parameter": reading.parameter.value,
                    "value": reading.value,
                    "unit": reading.unit,
                    # The laptop's clock is the record's clock; the monitor's is kept beside it.
                    "measured_at": received,
                    "received_at": received,
                    "device_time": reading.device_time.isoformat() if reading.device_time else None,
                    "source": self.source,
                }
                for reading in batch.readings
            ]
            self.store.add_records("observations", rows, self.entered_by)
        except StoreError as exc:
            with self._lock:
                self.failed_batches += 1
            log.error("readings from %s not stored: %s", self.link.port, exc)
            return
        with self._lock:
            self.stored.update(reading.parameter.value for reading in batch.readings)
        if self._on_stored is not None:
            self._on_stored(batch, day_id)

    def on_link_event(self, event: LinkEvent) -> None:
        """Record a change of the link's state."""
        with self._lock:
            self.link_events.append(event)
        try:
            day_id = self._resolve_day()
            self.store.add_records(
                "device_events",
                [
                    {
                        "id": new_id(),
                        "at": to_iso(event.at),
                        "bed_id": self.link.bed_id,
                        "day_id": day_id,
                        "protocol": self.link.protocol,
                        "port": self.link.port,
                        "state": event.state.value,
                        "detail": event.detail,
                    }
                ],
                self.entered_by,
            )
        except StoreError as exc:
            log.error("link event of %s not stored: %s", self.link.port, exc)
        if self._on_link is not None:
            self._on_link(event)
