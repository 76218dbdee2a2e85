"""Recording one event of the day: what the nurse did, when, with which batch, checked by whom.

The dialog asks only for what the event needs, fills in what the protocol prescribes, and stores
nothing until the engine accepts the event; a refusal is shown with its reason.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import Clock, local_date
from alemmonitor.errors import AlemMonitorError
from alemmonitor.infusion_day import DayStatus, EventKind, Task
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.ward import Admission, Ward
from ui.dialogs import error_label, save_cancel
from ui.i18n import message_of, translated

TITLES: dict[EventKind, Text] = {
    EventKind.PREMEDICATION_GIVEN: QT_TRANSLATE_NOOP("EventDialog", "Premedication given"),
    EventKind.STEROID_STARTED: QT_TRANSLATE_NOOP("EventDialog", "Methylprednisolone started"),
    EventKind.STEROID_FINISHED: QT_TRANSLATE_NOOP("EventDialog", "Methylprednisolone finished"),
    EventKind.INFUSION_STARTED: QT_TRANSLATE_NOOP("EventDialog", "Alemtuzumab started"),
    EventKind.RATE_CHANGED: QT_TRANSLATE_NOOP("EventDialog", "Rate changed"),
    EventKind.INFUSION_PAUSED: QT_TRANSLATE_NOOP("EventDialog", "Infusion paused"),
    EventKind.INFUSION_RESUMED: QT_TRANSLATE_NOOP("EventDialog", "Infusion resumed"),
    EventKind.INFUSION_STOPPED: QT_TRANSLATE_NOOP("EventDialog", "Infusion stopped early"),
    EventKind.INFUSION_COMPLETED: QT_TRANSLATE_NOOP("EventDialog", "Infusion completed"),
    EventKind.LAB_SAMPLED: QT_TRANSLATE_NOOP("EventDialog", "Blood sample taken"),
    EventKind.TASK_SKIPPED: QT_TRANSLATE_NOOP("EventDialog", "Step skipped"),
    EventKind.OBSERVATION_ENDED: QT_TRANSLATE_NOOP("EventDialog", "Observation ended"),
}
"""How each event reads in dialog titles and the record."""

ACTIONS: dict[EventKind, Text] = {
    EventKind.STEROID_STARTED: QT_TRANSLATE_NOOP("EventDialog", "Start methylprednisolone"),
    EventKind.STEROID_FINISHED: QT_TRANSLATE_NOOP("EventDialog", "Methylprednisolone finished"),
    EventKind.INFUSION_STARTED: QT_TRANSLATE_NOOP("EventDialog", "Start alemtuzumab"),
    EventKind.RATE_CHANGED: QT_TRANSLATE_NOOP("EventDialog", "Change rate"),
    EventKind.INFUSION_PAUSED: QT_TRANSLATE_NOOP("EventDialog", "Pause"),
    EventKind.INFUSION_RESUMED: QT_TRANSLATE_NOOP("EventDialog", "Resume"),
    EventKind.INFUSION_STOPPED: QT_TRANSLATE_NOOP("EventDialog", "Stop early"),
    EventKind.INFUSION_COMPLETED: QT_TRANSLATE_NOOP("EventDialog", "Infusion complete"),
    EventKind.OBSERVATION_ENDED: QT_TRANSLATE_NOOP("EventDialog", "End observation"),
}
"""How each state-changing event reads on its button."""

# Which fields each event asks for; (field, required).
_FIELDS: dict[EventKind, tuple[tuple[str, bool], ...]] = {
    EventKind.PREMEDICATION_GIVEN: (
        ("drug", True),
        ("dose", True),
        ("route", True),
        ("batch", False),
    ),
    EventKind.STEROID_STARTED: (("batch", False),),
    EventKind.INFUSION_STARTED: (
        ("batch", True),
        ("checked_by", True),
        ("rate_ml_h", True),
        ("reason", False),
    ),
    EventKind.RATE_CHANGED: (("rate_ml_h", True), ("reason", False)),
    EventKind.INFUSION_PAUSED: (("reason", False),),
    EventKind.INFUSION_STOPPED: (("reason", True),),
    EventKind.INFUSION_COMPLETED: (("reason", False),),
    EventKind.TASK_SKIPPED: (("reason", True),),
    EventKind.OBSERVATION_ENDED: (("reason", False),),
}

_NAMES_ITS_STEP = frozenset(
    {EventKind.PREMEDICATION_GIVEN, EventKind.LAB_SAMPLED, EventKind.TASK_SKIPPED}
)

_LABELS: dict[str, Text] = {
    "drug": QT_TRANSLATE_NOOP("EventDialog", "Drug"),
    "dose": QT_TRANSLATE_NOOP("EventDialog", "Dose"),
    "route": QT_TRANSLATE_NOOP("EventDialog", "Route"),
    "batch": QT_TRANSLATE_NOOP("EventDialog", "Batch number"),
    "checked_by": QT_TRANSLATE_NOOP("EventDialog", "Checked by (second nurse's initials)"),
    "rate_ml_h": QT_TRANSLATE_NOOP("EventDialog", "Rate (mL/h)"),
    "reason": QT_TRANSLATE_NOOP("EventDialog", "Reason"),
}


class EventDialog(QDialog):
    """Record one event; after `accept()`, `status` holds the day as it now stands."""

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        kind: EventKind,
        nurse: str,
        *,
        task: Task | None = None,
        rate_ml_h: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.kind = kind
        self.nurse = nurse
        self.task = task
        self.status: DayStatus | None = None
        title = translated(TITLES[kind])
        if task is not None:
            title = self.tr("{event}: {step}").format(event=title, step=translated(task.title))
        self.setWindowTitle(title)
        self.inputs: dict[str, QLineEdit | QDoubleSpinBox] = {}
        form = QFormLayout()
        heading = QLabel(
            f"<b>{html.escape(title)}</b><br>{html.escape(admission.patient.name)} · "
            f"{translated(admission.course_text)}"
        )
        form.addRow(heading)
        for name, required in _FIELDS.get(kind, ()):
            field: QLineEdit | QDoubleSpinBox
            if name == "rate_ml_h":
                field = QDoubleSpinBox()
                field.setRange(0.1, 1000.0)
                field.setDecimals(1)
                field.setSuffix(" mL/h")
                field.setValue(rate_ml_h or ward.protocol.infusion.rate_ml_h)
            else:
                field = QLineEdit()
                field.setText(self._prescribed(name))
            field.setObjectName(name)
            field.setMinimumHeight(44)
            self.inputs[name] = field
            form.addRow(translated(_LABELS[name]) + (" *" if required else ""), field)
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setMinimumHeight(44)
        local_now = ward.clock.local(ward.clock.now())
        self.time_edit.setTime(QTime(local_now.hour, local_now.minute))
        if kind is not EventKind.TASK_SKIPPED:
            form.addRow(self.tr("Time"), self.time_edit)
        self.error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _prescribed(self, name: str) -> str:
        """What the protocol prescribes for a premedication's field."""
        if self.kind is not EventKind.PREMEDICATION_GIVEN or self.task is None:
            return ""
        premeds = {
            p.id: p
            for p in self.ward.protocol.premedication_for(
                self.admission.course_number, self.admission.day_number
            )
        }
        premed = premeds.get(self.task.id)
        if premed is None:
            return ""
        return {"drug": premed.drug, "dose": premed.dose_text, "route": premed.route}.get(name, "")

    def moment(self) -> datetime:
        """The chosen time today, in the ward's time zone."""
        chosen = self.time_edit.time()
        return _today_at(self.ward.clock, time(chosen.hour(), chosen.minute()))

    def details(self) -> dict[str, object]:
        """The event's fields as the ward records them."""
        details: dict[str, object] = {}
        for name, field in self.inputs.items():
            if isinstance(field, QDoubleSpinBox):
                details[name] = field.value()
                continue
            text = field.text().strip()
            if name == "dose" and text:
                amount, _, unit = text.partition(" ")
                details["dose"] = float(amount.replace(",", "."))
                details["unit"] = unit.strip() or None
            elif text:
                details[name] = text
        # Only these events name their step: the others are one of a kind on the day, so the
        # record is the same whichever button recorded them.
        if self.task is not None and self.kind in _NAMES_ITS_STEP:
            details["task"] = self.task.id
        return details

    def save(self) -> None:
        """Check and record; on a problem, say it and store nothing."""
        missing = [
            translated(_LABELS[name])
            for name, required in _FIELDS.get(self.kind, ())
            if required
            and isinstance(self.inputs[name], QLineEdit)
            and not self.inputs[name].text().strip()
        ]
        if missing:
            self._fail(self.tr("Please fill in: {fields}").format(fields=", ".join(missing)))
            return
        try:
            details = self.details()
        except ValueError:
            self._fail(
                self.tr("The dose must be a number followed by its unit, e.g. 1 g or 200 mg")
            )
            return
        at = self.moment() if self.kind is not EventKind.TASK_SKIPPED else None
        try:
            self.status = self.ward.record(
                self.admission, self.kind, by=self.nurse, at=at, **details
            )
        except AlemMonitorError as exc:
            self._fail(message_of(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


def _today_at(clock: Clock, moment: time) -> datetime:
    now = clock.now()
    zone = clock.local(now).tzinfo
    return datetime.combine(local_date(clock, now), moment, zone)


class CorrectionDialog(QDialog):
    """Correct a recorded step (its time, batch, second check) or strike it out, with a reason.

    The original stays in the record; the correction names who, when and why. After `accept()`,
    `status` holds the day as it now stands.
    """

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        task: Task,
        nurse: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.task = task
        self.nurse = nurse
        self.status: DayStatus | None = None
        step = translated(task.title)
        self.setWindowTitle(self.tr("Correct: {step}").format(step=step))
        event = next(e for e in ward.infusion_day(admission).events if e.id == task.event_id)
        self.recorded_event = event
        recorded = [
            self.tr("recorded {time} by {nurse}").format(time=self._hm(event.at), nurse=event.by)
        ]
        if event.batch:
            recorded.append(self.tr("batch {batch}").format(batch=event.batch))
        if event.checked_by:
            recorded.append(self.tr("checked by {nurse}").format(nurse=event.checked_by))
        form = QFormLayout()
        form.addRow(QLabel(f"<b>{html.escape(step)}</b><br>{html.escape(', '.join(recorded))}"))
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setMinimumHeight(44)
        local = ward.clock.local(event.at)
        self.time_edit.setTime(QTime(local.hour, local.minute))
        form.addRow(self.tr("Time"), self.time_edit)
        self.batch = QLineEdit(event.batch or "")
        self.batch.setMinimumHeight(44)
        form.addRow(self.tr("Batch number"), self.batch)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMinimumHeight(44)
        self.reason.setPlaceholderText(self.tr("Why the record is wrong"))
        form.addRow(self.tr("Reason *"), self.reason)
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.correct_button = buttons.addButton(
            self.tr("Save correction"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.strike_button = buttons.addButton(
            self.tr("Strike out (entered in error)"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.correct_button.clicked.connect(self.save_correction)
        self.strike_button.clicked.connect(self.strike_out)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _hm(self, moment: datetime) -> str:
        return f"{self.ward.clock.local(moment):%H:%M}"

    def _reason(self) -> str | None:
        reason = self.reason.text().strip()
        if not reason:
            self._fail(self.tr("A correction needs the reason."))
            return None
        return reason

    def save_correction(self) -> None:
        """Store the corrected time and batch as a new version of the record."""
        reason = self._reason()
        if reason is None:
            return
        chosen = self.time_edit.time()
        local = self.ward.clock.local(self.recorded_event.at)
        at = local.replace(hour=chosen.hour(), minute=chosen.minute(), second=0, microsecond=0)
        changes: dict[str, object] = {}
        if at != local.replace(second=0, microsecond=0):
            changes["at"] = at
        batch = self.batch.text().strip() or None
        if batch != self.recorded_event.batch:
            changes["batch"] = batch
        if not changes:
            self._fail(self.tr("Nothing was changed."))
            return
        self._store(
            lambda: self.ward.correct_event(
                self.admission, self.recorded_event.id, changes, by=self.nurse, reason=reason
            )
        )

    def strike_out(self) -> None:
        """Strike the record out as entered in error; it stays in the history."""
        reason = self._reason()
        if reason is None:
            return
        self._store(
            lambda: self.ward.strike_out_event(
                self.admission, self.recorded_event.id, by=self.nurse, reason=reason
            )
        )

    def _store(self, action: Callable[[], DayStatus]) -> None:
        try:
            self.status = action()
        except AlemMonitorError as exc:
            self._fail(message_of(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
