"""The ward's alarms and their states: what sounds, what shows, what was acknowledged by whom.

Evaluators (see `alemmonitor.watch`) tell the `AlarmBoard` which conditions hold on a chair now,
one group of conditions at a time (a parameter's limits, the monitor link, the day's process,
NEWS2, the alemtuzumab warning). The board turns conditions into alarms and keeps their states
(IEC 60601-1-8, REFERENCE.md §6):

- active: the condition holds and nobody has acknowledged it; it sounds.
- acknowledged: a nurse has seen it; it stays on screen, silent, until the condition clears (then
  it ends) or escalates to a higher priority (then it is active and sounds again).
- latched: a high-priority alarm whose condition cleared before anyone acknowledged it; it stays
  on screen and sounds until acknowledged, so that a short run of something dangerous is seen.

An audio pause silences what sounds at that moment, for at most the site's pause time (2 min);
it ends by itself, never hides an alarm, and never silences an alarm that starts or escalates
during it. Every start, escalation, acknowledgement (with who), latch, end and audio pause goes to
the `log` callback, which stores it.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from alemmonitor.alarm_rules import Priority
from alemmonitor.texts import Text


class AlarmKind(StrEnum):
    """What an alarm is about: the patient, the equipment, or the day's process."""

    PHYSIOLOGICAL = "physiological"
    TECHNICAL = "technical"
    PROCESS = "process"


class AlarmState(StrEnum):
    """Where an alarm stands; see the module's description."""

    ACTIVE = "active"
    ACKNOWLEDGED = "acknowledged"
    LATCHED = "latched"


class AlarmAction(StrEnum):
    """What the alarm log records."""

    STARTED = "started"
    ESCALATED = "escalated"
    LOWERED = "lowered"
    ACKNOWLEDGED = "acknowledged"
    LATCHED = "latched"
    ENDED = "ended"
    AUDIO_PAUSED = "audio paused"
    AUDIO_RESUMED = "audio resumed"


@dataclass(frozen=True)
class Condition:
    """Something wrong on a chair now, as an evaluator sees it.

    `key` names it on its chair ('limit:hr', 'link', 'news2', ...): while an evaluator keeps
    reporting the same key, it is the same alarm. `until_acknowledged` marks a one-off deviation
    (alemtuzumab started early, observation ended early): acknowledging it ends it, and it does
    not come back while the same deviation stands.
    """

    key: str
    kind: AlarmKind
    priority: Priority
    message: str
    value: float | None = None
    until_acknowledged: bool = False


@dataclass(frozen=True)
class Alarm:
    """One alarm as the screens show it."""

    id: str
    bed_id: str
    day_id: str | None
    key: str
    kind: AlarmKind
    priority: Priority
    message: str
    started_at: datetime
    state: AlarmState
    present: bool
    """Whether its condition still holds (a latched alarm's no longer does)."""
    audible: bool
    acknowledged_by: str | None
    value: float | None


@dataclass(frozen=True)
class AlarmLogEntry:
    """One line of the alarm log."""

    at: datetime
    action: AlarmAction
    by: str
    alarm_id: str | None = None
    bed_id: str | None = None
    day_id: str | None = None
    key: str | None = None
    kind: AlarmKind | None = None
    priority: Priority | None = None
    message: str = ""
    value: float | None = None


SYSTEM = "alarm system"
"""Who the log names for what the alarm system did by itself."""


@dataclass
class _Entry:
    id: str
    bed_id: str
    day_id: str | None
    group: str
    condition: Condition
    started_at: datetime
    state: AlarmState = AlarmState.ACTIVE
    present: bool = True
    acknowledged_by: str | None = None
    paused: bool = False

    def snapshot(self, *, paused_now: bool) -> Alarm:
        sounding = self.state is not AlarmState.ACKNOWLEDGED and not (self.paused and paused_now)
        condition = self.condition
        return Alarm(
            id=self.id,
            bed_id=self.bed_id,
            day_id=self.day_id,
            key=condition.key,
            kind=condition.kind,
            priority=condition.priority,
            message=condition.message,
            started_at=self.started_at,
            state=self.state,
            present=self.present,
            audible=sounding,
            acknowledged_by=self.acknowledged_by,
            value=condition.value,
        )


class AlarmBoard:
    """The alarms of every chair. Thread-safe: evaluators call it from monitor threads and timers.

    `log(entry)` is called for every logged change, and `on_change()` after any change of what the
    screens show; both outside the board's lock, on the thread that made the change.
    """

    def __init__(
        self,
        *,
        pause_limit: timedelta,
        log: Callable[[AlarmLogEntry], None] | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        if pause_limit <= timedelta(0):
            raise ValueError("an audio pause must last some time")
        self.pause_limit = pause_limit
        self.log = log
        self.on_change = on_change
        self._lock = threading.RLock()
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._acknowledged_once: dict[tuple[str, str], str] = {}
        self._paused_until: datetime | None = None

    # -- what evaluators report --------------------------------------------------------------

    def update(
        self,
        bed_id: str,
        day_id: str | None,
        group: str,
        conditions: Iterable[Condition],
        now: datetime,
    ) -> None:
        """The conditions of `group` that hold on the chair now; the group's others have cleared."""
        holding = {condition.key: condition for condition in conditions}
        logged: list[AlarmLogEntry] = []
        with self._lock:
            for (bed, key), entry in list(self._entries.items()):
                if bed == bed_id and entry.group == group and key not in holding:
                    self._cleared(entry, now, logged)
            # A deviation that no longer stands may alarm again if it comes back.
            for (bed, key), of_group in list(self._acknowledged_once.items()):
                if bed == bed_id and of_group == group and key not in holding:
                    del self._acknowledged_once[(bed, key)]
            for condition in holding.values():
                self._holds(bed_id, day_id, group, condition, now, logged)
        self._tell(logged)

    def clear_chair(self, bed_id: str, now: datetime, reason: str) -> None:
        """End every alarm of a chair that no longer has a patient (or monitor) to alarm about."""
        logged: list[AlarmLogEntry] = []
        with self._lock:
            for (bed, _), entry in list(self._entries.items()):
                if bed == bed_id:
                    self._end(entry, now, logged, note=reason)
            self._acknowledged_once = {
                k: g for k, g in self._acknowledged_once.items() if k[0] != bed_id
            }
        self._tell(logged)

    def _holds(  # noqa: PLR0917 - private, called once
        self,
        bed_id: str,
        day_id: str | None,
        group: str,
        condition: Condition,
        now: datetime,
        logged: list[AlarmLogEntry],
    ) -> None:
        slot = (bed_id, condition.key)
        entry = self._entries.get(slot)
        if entry is None:
            if slot in self._acknowledged_once:
                return
            entry = _Entry(uuid.uuid4().hex, bed_id, day_id, group, condition, now)
            self._entries[slot] = entry
            logged.append(self._line(entry, AlarmAction.STARTED, now))
            return
        before = entry.condition.priority
        entry.condition = condition
        entry.present = True
        if condition.priority > before:
            entry.state = AlarmState.ACTIVE
            entry.acknowledged_by = None
            entry.paused = False  # an escalation is a new signal: it sounds through a pause
            logged.append(self._line(entry, AlarmAction.ESCALATED, now))
        elif condition.priority < before:
            logged.append(self._line(entry, AlarmAction.LOWERED, now))
        if entry.state is AlarmState.LATCHED:
            entry.state = AlarmState.ACTIVE

    def _cleared(self, entry: _Entry, now: datetime, logged: list[AlarmLogEntry]) -> None:
        entry.present = False
        if entry.state is AlarmState.LATCHED:
            return
        if (
            entry.state is AlarmState.ACTIVE
            and entry.condition.priority is Priority.HIGH
            and not entry.condition.until_acknowledged
        ):
            entry.state = AlarmState.LATCHED
            logged.append(self._line(entry, AlarmAction.LATCHED, now))
            return
        self._end(entry, now, logged)

    def _end(
        self, entry: _Entry, now: datetime, logged: list[AlarmLogEntry], note: str = ""
    ) -> None:
        del self._entries[(entry.bed_id, entry.condition.key)]
        line = self._line(entry, AlarmAction.ENDED, now)
        if note:
            line = replace(
                line,
                message=Text("", "{message} ({note})", {"message": line.message, "note": note}),
            )
        logged.append(line)

    # -- what nurses do ----------------------------------------------------------------------

    def acknowledge(self, alarm_id: str, by: str, now: datetime) -> bool:
        """A nurse has seen the alarm; False if it has already ended."""
        if not by.strip():
            raise ValueError("an acknowledgement names the nurse")
        logged: list[AlarmLogEntry] = []
        with self._lock:
            entry = next((e for e in self._entries.values() if e.id == alarm_id), None)
            if entry is None:
                return False
            self._acknowledge(entry, by.strip(), now, logged)
        self._tell(logged)
        return True

    def acknowledge_chair(self, bed_id: str, by: str, now: datetime) -> int:
        """Acknowledge every unacknowledged alarm of a chair; returns how many there were."""
        if not by.strip():
            raise ValueError("an acknowledgement names the nurse")
        logged: list[AlarmLogEntry] = []
        with self._lock:
            entries = [
                e
                for e in self._entries.values()
                if e.bed_id == bed_id and e.state is not AlarmState.ACKNOWLEDGED
            ]
            for entry in entries:
                self._acknowledge(entry, by.strip(), now, logged)
        self._tell(logged)
        return len(entries)

    def _acknowledge(
        self, entry: _Entry, by: str, now: datetime, logged: list[AlarmLogEntry]
    ) -> None:
        if entry.state is AlarmState.ACKNOWLEDGED:
            return
        logged.append(self._line(entry, AlarmAction.ACKNOWLEDGED, now, by=by))
        if entry.state is AlarmState.LATCHED:
            self._end(entry, now, logged)
            return
        if entry.condition.until_acknowledged:
            self._acknowledged_once[(entry.bed_id, entry.condition.key)] = entry.group
            self._end(entry, now, logged)
            return
        entry.state = AlarmState.ACKNOWLEDGED
        entry.acknowledged_by = by

    def pause_audio(self, by: str, now: datetime) -> datetime:
        """Silence what sounds now for the pause time; returns when the pause ends."""
        if not by.strip():
            raise ValueError("an audio pause names the nurse")
        with self._lock:
            self._paused_until = now + self.pause_limit
            for entry in self._entries.values():
                entry.paused = True
            until = self._paused_until
        self._tell(
            [AlarmLogEntry(now, AlarmAction.AUDIO_PAUSED, by.strip(), message=_until(until))]
        )
        return until

    def resume_audio(self, by: str, now: datetime) -> None:
        """End an audio pause before its time."""
        with self._lock:
            if self._paused_until is None:
                return
            self._end_pause()
        self._tell([AlarmLogEntry(now, AlarmAction.AUDIO_RESUMED, by)])

    def expire(self, now: datetime) -> None:
        """End an audio pause whose time is up (called by a timer)."""
        with self._lock:
            if self._paused_until is None or now < self._paused_until:
                return
            self._end_pause()
        self._tell([AlarmLogEntry(now, AlarmAction.AUDIO_RESUMED, SYSTEM, message="pause over")])

    def _end_pause(self) -> None:
        self._paused_until = None
        for entry in self._entries.values():
            entry.paused = False

    # -- what the screens and the speaker ask --------------------------------------------------

    def audio_paused_until(self) -> datetime | None:
        """When the current audio pause ends, if one runs."""
        with self._lock:
            return self._paused_until

    def alarms(self, bed_id: str | None = None) -> list[Alarm]:
        """The alarms (of one chair, or all), most urgent first: priority, then the oldest."""
        with self._lock:
            paused = self._paused_until is not None
            found = [
                entry.snapshot(paused_now=paused)
                for entry in self._entries.values()
                if bed_id is None or entry.bed_id == bed_id
            ]
        return sorted(found, key=_urgency)

    def standing(self, bed_id: str, key: str) -> Priority | None:
        """The priority of the chair's alarm `key` while its condition holds, else None."""
        with self._lock:
            entry = self._entries.get((bed_id, key))
            return entry.condition.priority if entry is not None and entry.present else None

    def most_urgent(self) -> Alarm | None:
        """The alarm the ward must see first, if any."""
        return next(iter(self.alarms()), None)

    def sounding(self) -> Priority | None:
        """The priority the speaker plays now: the highest among audible alarms."""
        return max((alarm.priority for alarm in self.alarms() if alarm.audible), default=None)

    # -- the log ---------------------------------------------------------------------------------

    @staticmethod
    def _line(entry: _Entry, action: AlarmAction, now: datetime, by: str = SYSTEM) -> AlarmLogEntry:
        condition = entry.condition
        return AlarmLogEntry(
            at=now,
            action=action,
            by=by,
            alarm_id=entry.id,
            bed_id=entry.bed_id,
            day_id=entry.day_id,
            key=condition.key,
            kind=condition.kind,
            priority=condition.priority,
            message=condition.message,
            value=condition.value,
        )

    def _tell(self, logged: list[AlarmLogEntry]) -> None:
        if not logged:
            return
        if self.log is not None:
            for line in logged:
                self.log(line)
        if self.on_change is not None:
            self.on_change()


def _urgency(alarm: Alarm) -> tuple[int, int, datetime]:
    # Unacknowledged before acknowledged within a priority: what still needs someone comes first.
    return (-alarm.priority, alarm.state is AlarmState.ACKNOWLEDGED, alarm.started_at)


def _until(moment: datetime) -> str:
    return f"until {moment.isoformat(timespec='seconds')}"
