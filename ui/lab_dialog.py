"""Blood results: a sample typed from the lab report, and the course's results read in context.

The domain decides what is refused, what is read in which unit, what is asked about and how a
value reads (`alemmonitor.labs_entry`, `alemmonitor.labs_interpretation`); these dialogs show it
beside each field and store only a valid, confirmed sample.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import Clock
from alemmonitor.errors import AlemMonitorError, EntryError, FieldProblem
from alemmonitor.followup import (
    FollowUpPlan,
    answered,
    plans_of,
    record_slot_results,
    required_for,
    slot_statuses,
)
from alemmonitor.followup_plan import Slot
from alemmonitor.labs import (
    FINDINGS,
    GROUPS,
    INFUSION_WEEK_POINTS,
    LABELS,
    URINALYSIS,
    SamplingPoint,
    format_value,
)
from alemmonitor.labs_catalog import LabCatalog, default_catalog
from alemmonitor.labs_entry import GENERAL, LabAssessment, assess_results, range_text
from alemmonitor.labs_interpretation import (
    WEEK_ADVICE,
    Direction,
    Interpretation,
    Phase,
    interpret_results,
    preview,
)
from alemmonitor.labs_record import (
    NEUTROPENIA_ADVICE,
    LabResult,
    correct_result,
    record_results,
    results_of_course,
    sampling_context,
    strike_out_result,
)
from alemmonitor.patients import Patient
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.ward import Admission, Ward
from ui.dialogs import add_problem, error_label, save_cancel
from ui.i18n import message_of, translated

TOUCH = 44
"""The smallest height of anything a gloved finger has to hit, in pixels."""

FLAGGED_COLOUR = "#ffe2b8"
"""A result beyond what the treatment explains (the day view's overdue amber)."""
ALTERED_COLOUR = "#dbe7ff"
"""A result outside its range as the treatment alters it: expected, decided on clinical signs."""

_NEUTROPENIA_CONFIRM = QT_TRANSLATE_NOOP(
    "LabDialog", "{grade}: the guidance below is shown and recorded"
)


_ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.STABLE: "→"}


def _touch_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    return button


def _note_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def reading_text(reading: Interpretation) -> str:
    """How a result reads, in one line: where it lies, what was expected, what goes beyond."""
    parts: list[str] = []
    position = reading.position
    # After the course a flag says where the value lies and why it matters.
    if position is not None and not (reading.phase is Phase.FOLLOW_UP and reading.flagged):
        parts.append(translated(position))
    grade = reading.result.grade
    if grade is not None and not reading.flagged:
        parts.append(translated(grade.label))
    if reading.expected is not None:
        parts.append(
            QCoreApplication.translate("LabDialog", "expected {arrow} {text}").format(
                arrow=_ARROWS[reading.expected.direction], text=translated(reading.expected.text)
            )
        )
    if reading.flagged:
        parts.append("⚠ " + "; ".join(translated(flag) for flag in reading.flags))
    return " · ".join(parts)


class SampleTime(QWidget):
    """When a sample was taken: date and time in the ward's time zone, and 'Now'."""

    def __init__(self, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.touched = False
        self.edit = QDateTimeEdit()
        self.edit.setObjectName("sampled_at")
        self.edit.setDisplayFormat("dd.MM.yyyy HH:mm")
        self.edit.setMinimumHeight(TOUCH)
        self.now_button = _touch_button(self.tr("Now"))
        self.now_button.clicked.connect(self.set_now)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.now_button)
        row.addStretch(1)
        self.set_now()
        self.edit.dateTimeChanged.connect(self._edited)

    def set_now(self) -> None:
        """The sample was taken now (the time of saving)."""
        local = self.clock.local(self.clock.now())
        self.edit.blockSignals(True)  # noqa: FBT003 - Qt's API
        self.edit.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )
        self.edit.blockSignals(False)  # noqa: FBT003 - Qt's API
        self.touched = False

    def _edited(self, _moment: QDateTime) -> None:
        self.touched = True

    def moment(self) -> datetime:
        """The time shown, in the ward's time zone; now, unless the nurse changed it."""
        now = self.clock.now()
        if not self.touched:
            return now
        shown = self.edit.dateTime()
        day, moment = shown.date(), shown.time()
        zone = self.clock.local(now).tzinfo
        return datetime(
            day.year(), day.month(), day.day(), moment.hour(), moment.minute(), tzinfo=zone
        )


class LabEntryDialog(QDialog):
    """Enter the results of one blood sample from the lab report.

    On an infusion day (`admission`), the nurse chooses the sampling point (before or after the
    steroid, after alemtuzumab) and every analyte is offered; at follow-up (`plan` and `slots`),
    the slots' tests are offered and their needed analytes must be given. Beside each field the
    unit (the lab's by default), the reference range, the problem, the conversion and, once the
    value is read, how it reads: the infusion week's expected effect, or what goes beyond it.
    Unusual values and a severe neutropenia turn Save into a confirmation; nothing is stored
    until the sample is valid and confirmed. After `accept()`, `saved` holds the stored results.
    Lives on the GUI thread.
    """

    def __init__(
        self,
        ward: Ward,
        patient: Patient,
        nurse: str,
        *,
        admission: Admission | None = None,
        plan: FollowUpPlan | None = None,
        slots: Sequence[Slot] = (),
        parent: QWidget | None = None,
        catalog: LabCatalog | None = None,
    ) -> None:
        super().__init__(parent)
        if (admission is None) == (plan is None):
            raise ValueError("a sample is either of an infusion day or of a follow-up plan")
        self.ward = ward
        self.patient = patient
        self.nurse = nurse
        self.admission = admission
        self.plan = plan
        self.slots = tuple(slots)
        self.catalog = catalog or default_catalog()
        self.saved: list[LabResult] = []
        self._confirm_key: tuple[object, ...] | None = None
        self.setWindowTitle(self.tr("Blood results · {name}").format(name=patient.name))

        self.inputs: dict[str, QLineEdit] = {}
        self.units: dict[str, QComboBox] = {}
        self.errors: dict[str, QLabel] = {GENERAL: _note_label("fieldError")}
        self.notes: dict[str, QLabel] = {}
        self.readings: dict[str, QLabel] = {}
        self.suggestion_buttons: dict[str, QPushButton] = {}

        layout = QVBoxLayout(self)
        layout.addWidget(self._heading())
        layout.addLayout(self._when())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._fields())
        layout.addWidget(scroll, 1)
        self._add_footer(layout)
        self.resize(1180, 700)
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.setFocus()

    # -- building ----------------------------------------------------------------------------------

    def _add_footer(self, layout: QVBoxLayout) -> None:
        """The note, the guidance of a severe neutropenia, what to confirm, and the buttons."""
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setMinimumHeight(TOUCH)
        self.note_edit.setPlaceholderText(
            self.tr("e.g. haemolysed, repeated; what the urine showed")
        )
        self.note_edit.textChanged.connect(lambda _text: self._edited("note"))
        self.errors["note"] = _note_label("fieldError")
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel(self.tr("Note")))
        note_row.addWidget(self.note_edit, 1)
        layout.addLayout(note_row)
        layout.addWidget(self.errors["note"])
        self.advice_label = _note_label("stopAdvice")
        layout.addWidget(self.advice_label)
        layout.addWidget(self.errors[GENERAL])
        self.confirm_label = _note_label("confirmList")
        layout.addWidget(self.confirm_label)
        self.save_button = _touch_button(self.tr("Save"))
        self.cancel_button = _touch_button(self.tr("Cancel"))
        self.save_button.clicked.connect(
            lambda: self.save(confirming=self._confirm_key is not None)
        )
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)

    def _heading(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        name = QLabel(html.escape(self.patient.name))
        name.setObjectName("patientLabel")
        column.addWidget(name)
        if self.admission is not None:
            context = QLabel(translated(self.admission.course_text))
            advice = QLabel(translated(WEEK_ADVICE))
            advice.setObjectName("labAdvice")
            advice.setWordWrap(True)
            column.addWidget(context)
            column.addWidget(advice)
        elif self.plan is not None:
            plan = self.plan
            for due in sorted({slot.due for slot in self.slots}):
                tests = ", ".join(
                    translated(plan.test_name(slot)) for slot in self.slots if slot.due == due
                )
                column.addWidget(
                    QLabel(
                        self.tr("Follow-up after course {course}: {tests}, due {date}").format(
                            course=plan.course_number, tests=tests, date=f"{due:%d.%m.%Y}"
                        )
                    )
                )
        return box

    def _when(self) -> QGridLayout:
        grid = QGridLayout()
        self.point_buttons: dict[SamplingPoint, QPushButton] = {}
        self._points = QButtonGroup(self)
        row = 0
        if self.admission is not None:
            context = sampling_context(self.ward, self.admission)
            points = QHBoxLayout()
            for point in INFUSION_WEEK_POINTS:
                button = _touch_button(translated(point.text(steroid_day=context.steroid_day)))
                button.setObjectName(point.value)
                button.setCheckable(True)
                button.setEnabled(point is not SamplingPoint.AFTER_STEROID or context.steroid_day)
                self._points.addButton(button)
                self.point_buttons[point] = button
                points.addWidget(button)
            points.addStretch(1)
            if context.infusion_ended_at is not None:
                chosen = SamplingPoint.AFTER_ALEMTUZUMAB
            elif context.steroid_day and context.steroid_started_at is not None:
                chosen = SamplingPoint.AFTER_STEROID
            else:
                chosen = SamplingPoint.BEFORE_STEROID
            self.point_buttons[chosen].setChecked(True)
            for button in self.point_buttons.values():
                button.toggled.connect(self._entry_changed)
            grid.addWidget(QLabel(self.tr("Taken")), row, 0)
            grid.addLayout(points, row, 1)
            self.errors["point"] = _note_label("fieldError")
            grid.addWidget(self.errors["point"], row + 1, 1)
            row += 2
        self.time = SampleTime(self.ward.clock)
        self.time.edit.dateTimeChanged.connect(self._entry_changed)
        grid.addWidget(QLabel(self.tr("Sampled at")), row, 0)
        grid.addWidget(self.time, row, 1)
        self.errors["sampled_at"] = _note_label("fieldError")
        self.notes["sampled_at"] = _note_label("fieldNote")
        grid.addWidget(self.errors["sampled_at"], row + 1, 1)
        grid.addWidget(self.notes["sampled_at"], row + 2, 1)
        grid.setColumnStretch(1, 1)
        return grid

    def _offered(self) -> list[str]:
        if self.plan is None:
            return [name for _, names in GROUPS for name in names if name != URINALYSIS]
        wanted = {name for slot in self.slots for name in self.plan.analytes(slot)}
        return [name for _, names in GROUPS for name in names if name in wanted]

    def _fields(self) -> QWidget:
        offered = self._offered()
        box = QWidget()
        columns = QHBoxLayout(box)
        # The blood count on the left, the chemistry on the right, as a lab report prints them.
        for part in (GROUPS[:1], GROUPS[1:]):
            grid = QGridLayout()
            grid.setColumnStretch(4, 1)
            row = 0
            for title, names in part:
                shown = [name for name in names if name in offered]
                if not shown:
                    continue
                heading = QLabel(f"<b>{html.escape(translated(title))}</b>")
                grid.addWidget(heading, row, 0, 1, 5)
                row += 1
                for name in shown:
                    row = self._add_field(grid, name, row)
            column = QVBoxLayout()
            column.addLayout(grid)
            column.addStretch(1)
            columns.addLayout(column, 1)
        return box

    def _add_field(self, grid: QGridLayout, name: str, row: int) -> int:
        grid.addWidget(QLabel(translated(LABELS[name])), row, 0)
        if name == URINALYSIS:
            finding = QComboBox()
            finding.setObjectName(URINALYSIS)
            finding.setMinimumHeight(TOUCH)
            finding.addItem("—", "")
            for value, words in FINDINGS.items():
                finding.addItem(translated(words), value)
            finding.currentIndexChanged.connect(lambda _i: self._edited(URINALYSIS))
            self.finding = finding
            grid.addWidget(finding, row, 1, 1, 3)
        else:
            analyte = self.catalog.analyte(name)
            field = QLineEdit()
            field.setObjectName(name)
            field.setMinimumHeight(TOUCH)
            field.setFixedWidth(110)
            field.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
            field.textChanged.connect(lambda _t, n=name: self._edited(n))
            field.editingFinished.connect(lambda n=name: self._read_field(n))
            unit = QComboBox()
            unit.setObjectName(f"{name}Unit")
            unit.setMinimumHeight(TOUCH)
            for choice in analyte.units:
                unit.addItem(choice.shown, choice.ucum)
            unit.setCurrentIndex(unit.findData(analyte.report_unit))
            unit.currentIndexChanged.connect(lambda _i, n=name: self._unit_changed(n))
            reference = QLabel(range_text(analyte.reference_for(self.patient.sex), analyte))
            reference.setObjectName("referenceRange")
            suggestion = _touch_button("")
            suggestion.hide()
            suggestion.clicked.connect(lambda _c=False, n=name: self.use_suggestion(n))
            self.inputs[name] = field
            self.units[name] = unit
            self.suggestion_buttons[name] = suggestion
            grid.addWidget(field, row, 1)
            grid.addWidget(unit, row, 2)
            grid.addWidget(reference, row, 3)
            grid.addWidget(suggestion, row, 4)
        self.errors[name] = _note_label("fieldError")
        self.notes[name] = _note_label("fieldNote")
        self.readings[name] = _note_label("labReading")
        grid.addWidget(self.errors[name], row + 1, 1, 1, 4)
        grid.addWidget(self.notes[name], row + 2, 1, 1, 4)
        grid.addWidget(self.readings[name], row + 3, 1, 1, 4)
        return row + 4

    # -- what the nurse entered ----------------------------------------------------------------

    @property
    def point(self) -> SamplingPoint:
        """Where the sample was taken."""
        for point, button in self.point_buttons.items():
            if button.isChecked():
                return point
        return SamplingPoint.FOLLOW_UP

    def assess(self) -> LabAssessment:
        """What the entry amounts to now."""
        now = self.ward.clock.now()
        finding = getattr(self, "finding", None)
        return assess_results(
            {name: field.text() for name, field in self.inputs.items()},
            {name: str(combo.currentData()) for name, combo in self.units.items()},
            sex=self.patient.sex,
            point=self.point,
            sampled_at=self.time.moment(),
            now=now,
            finding=str(finding.currentData()) if finding is not None else "",
            note=self.note_edit.text(),
            required=self._required(),
            context=(
                sampling_context(self.ward, self.admission) if self.admission is not None else None
            ),
            catalog=self.catalog,
        )

    def _required(self) -> dict[str, Text] | None:
        """What the follow-up tests begun in this entry still need (a test not begun stays
        open for later)."""
        if self.plan is None:
            return None
        typed = {name for name, field in self.inputs.items() if field.text().strip()}
        finding = getattr(self, "finding", None)
        if finding is not None and finding.currentData():
            typed.add(URINALYSIS)
        return required_for(self.plan, answered(self.plan, self.slots, typed))

    def readings_of(self, assessment: LabAssessment) -> dict[str, Interpretation]:
        """How each value read so far will read once stored."""
        return preview(
            self.ward, self.patient, assessment, admission=self.admission, catalog=self.catalog
        )

    # -- editing -------------------------------------------------------------------------------

    def use_suggestion(self, name: str) -> None:
        """Read the field in the unit offered beside it."""
        unit = self.suggestion_buttons[name].property("unit")
        combo = self.units[name]
        combo.setCurrentIndex(combo.findData(unit))
        self._read_field(name)

    def _unit_changed(self, name: str) -> None:
        self._edited(name)
        if self.inputs[name].text().strip():
            self._read_field(name)

    def _edited(self, name: str) -> None:
        for labels in (self.errors, self.notes, self.readings):
            if name in labels:
                labels[name].hide()
        if name in self.suggestion_buttons:
            self.suggestion_buttons[name].hide()
        self._entry_changed()

    def _entry_changed(self, *_: object) -> None:
        """Anything changed: a confirmation asked for other values no longer holds."""
        self._confirm_key = None
        self.save_button.setText(self.tr("Save"))
        self.confirm_label.hide()
        self.errors[GENERAL].hide()

    def _read_field(self, name: str) -> None:
        """Show what one field amounts to (when the nurse leaves it)."""
        assessment = self.assess()
        self._show(assessment, only=name)

    # -- saving --------------------------------------------------------------------------------

    def save(self, *, confirming: bool) -> None:
        """Check the sample; store it when valid and nothing asked about is left unconfirmed.

        `confirming` is the nurse's confirmation of what the confirmation list shows.
        """
        assessment = self.assess()
        readings = self._show(assessment)
        if not assessment.storable:
            self._entry_changed()
            return
        asked = [*assessment.to_confirm, *self._severe(readings)]
        key = self._key(assessment)
        if asked and not (confirming and key == self._confirm_key):
            lines = [
                f"• {translated(LABELS.get(p.field) or self._field_title(p.field))}: "
                f"{translated(p.message)}"
                for p in asked
            ]
            self.confirm_label.setText("\n".join([self.tr("Check, then confirm:"), *lines]))
            self.confirm_label.show()
            self.save_button.setText(self.tr("Confirm and save"))
            self._confirm_key = key
            return
        self._store(assessment)

    def _field_title(self, name: str) -> str:
        titles = {"sampled_at": self.tr("Sampled at"), "point": self.tr("Taken")}
        return titles.get(name, name)

    @staticmethod
    def _severe(readings: dict[str, Interpretation]) -> list[FieldProblem]:
        reading = readings.get("neutrophils")
        if reading is None or reading.advice != NEUTROPENIA_ADVICE or reading.result.grade is None:
            return []
        return [
            FieldProblem(
                "neutrophils", _NEUTROPENIA_CONFIRM.format(grade=reading.result.grade.label)
            )
        ]

    def _key(self, assessment: LabAssessment) -> tuple[object, ...]:
        values = tuple(
            sorted((name, m.value, m.comparator) for name, m in assessment.values.items())
        )
        when = assessment.sampled_at if self.time.touched else None
        return (values, assessment.finding, assessment.point, when, assessment.note)

    def _store(self, assessment: LabAssessment) -> None:
        try:
            if self.plan is not None:
                self.saved = record_slot_results(
                    self.ward, self.plan, self.slots, assessment, by=self.nurse
                )
            else:
                self.saved = record_results(
                    self.ward, self.patient, assessment, by=self.nurse, admission=self.admission
                )
        except EntryError as exc:
            self._show_problems(exc.problems)
            return
        except AlemMonitorError as exc:
            not_saved = self.tr("Not saved: {reason}").format(reason=message_of(exc))
            self._show_problems([FieldProblem(GENERAL, not_saved)])
            return
        self.accept()

    # -- showing -------------------------------------------------------------------------------

    def _show(
        self, assessment: LabAssessment, only: str | None = None
    ) -> dict[str, Interpretation]:
        """Show problems, conversions, questions, offers and readings beside their fields."""

        def shown(field: str) -> bool:
            return only is None or field == only

        for labels in (self.errors, self.notes, self.readings):
            for name, label in labels.items():
                if shown(name):
                    label.hide()
        for name, button in self.suggestion_buttons.items():
            if shown(name):
                button.hide()
        self._show_problems([p for p in assessment.refused if shown(p.field)])
        refused = {p.field for p in assessment.refused}
        for problem in (*assessment.notes, *assessment.to_confirm):
            if shown(problem.field) and problem.field not in refused:
                add_problem(self.notes.get(problem.field), translated(problem.message))
        for suggestion in assessment.suggestions:
            offer = self.suggestion_buttons.get(suggestion.field)
            if offer is not None and shown(suggestion.field):
                offer.setText(translated(suggestion.label))
                offer.setProperty("unit", suggestion.unit)
                offer.show()
        readings = self.readings_of(assessment)
        for name, reading in readings.items():
            beside = self.readings.get(name)
            if beside is None or not shown(name):
                continue
            beside.setText(reading_text(reading))
            beside.setProperty("flagged", reading.flagged)
            beside.style().unpolish(beside)
            beside.style().polish(beside)
            beside.setVisible(bool(beside.text()))
        severe = readings.get("neutrophils")
        if only in (None, "neutrophils"):
            advice = severe is not None and severe.advice == NEUTROPENIA_ADVICE
            self.advice_label.setText(translated(NEUTROPENIA_ADVICE) if advice else "")
            self.advice_label.setVisible(advice)
        return readings

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        for problem in problems:
            label = self.errors.get(problem.field)
            if label is None:
                label = self.errors[GENERAL]
                title = translated(LABELS.get(problem.field) or self._field_title(problem.field))
                message = f"{title}: {translated(problem.message)}"
            else:
                message = translated(problem.message)
            add_problem(label, message)


class LabResultsDialog(QDialog):
    """The blood results of a patient's course: analytes down, samples across, each read in
    its context (amber: beyond what the treatment explains; blue: altered as expected).

    The selected result's reading, how it was typed and its history are shown below the table;
    from there a result is corrected or struck out with a reason, and a new sample entered.
    `changed` says whether anything was stored. Lives on the GUI thread.
    """

    def __init__(
        self, ward: Ward, admission: Admission, nurse: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.nurse = nurse
        self.changed = False
        self.readings: list[Interpretation] = []
        self._cells: dict[tuple[int, int], Interpretation] = {}
        patient = admission.patient
        self.setWindowTitle(self.tr("Blood results · {name}").format(name=patient.name))
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{html.escape(patient.name)}</b> · {html.escape(translated(admission.course_text))}"
        )
        heading.setObjectName("patientLabel")
        advice = QLabel(translated(WEEK_ADVICE))
        advice.setObjectName("labAdvice")
        advice.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(advice)
        layout.addWidget(self._build_table(), 1)
        self.details = QLabel()
        self.details.setObjectName("labDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        layout.addWidget(self.details)
        layout.addWidget(self.plan_label)
        layout.addLayout(self._build_buttons())
        self.resize(1240, 700)
        self.reload()

    def _build_table(self) -> QWidget:
        """The results, analytes down and samples across, with the legend of the colours."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("labTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_: self._show_selected())
        legend = QLabel(
            self.tr(
                "⚠ amber: beyond what the treatment explains, tell the physician · blue: altered "
                "by the treatment as the study found, decide on clinical signs"
            )
        )
        legend.setWordWrap(True)
        column.addWidget(self.table, 1)
        column.addWidget(legend)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        self.enter_button = _touch_button(self.tr("Enter results…"))
        self.enter_button.clicked.connect(self.enter_results)
        self.correct_button = _touch_button(self.tr("Correct…"))
        self.correct_button.clicked.connect(self.correct_selected)
        self.strike_button = _touch_button(self.tr("Strike out…"))
        self.strike_button.clicked.connect(self.strike_out_selected)
        close = _touch_button(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.enter_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.strike_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        return buttons

    def reload(self) -> None:
        """Read the course's results again."""
        row = self.ward.store.current_by_root("infusion_days", self.admission.id)
        course_id = row["course_id"] if row is not None else ""
        results = results_of_course(self.ward, course_id)
        self.readings = interpret_results(self.ward, results)
        samples: dict[str, list[Interpretation]] = {}
        for reading in self.readings:
            samples.setdefault(reading.result.sample_id, []).append(reading)
        names = [
            name
            for _, group in GROUPS
            for name in group
            if any(r.result.analyte == name for r in self.readings)
        ]
        self.table.clear()
        self._cells = {}
        self.table.setRowCount(len(names))
        self.table.setColumnCount(len(samples))
        self.table.setVerticalHeaderLabels([translated(LABELS[name]) for name in names])
        self.table.setHorizontalHeaderLabels([self._sample_title(s[0]) for s in samples.values()])
        for column, sample in enumerate(samples.values()):
            for reading in sample:
                row_index = names.index(reading.result.analyte)
                self.table.setItem(row_index, column, self._cell(reading))
                self._cells[(row_index, column)] = reading
        self.correct_button.setEnabled(False)
        self.strike_button.setEnabled(False)
        self.details.setText(
            self.tr("No results yet for this course.")
            if not self.readings
            else self.tr("Choose a result to see how it reads.")
        )
        self._show_plan(course_id)
        if samples:
            self.table.scrollToItem(self.table.item(0, len(samples) - 1) or QTableWidgetItem())

    def _sample_title(self, reading: Interpretation) -> str:
        result = reading.result
        local = self.ward.clock.local(result.sampled_at)
        when = f"{local:%d.%m. %H:%M}"
        if result.point is SamplingPoint.FOLLOW_UP:
            return f"{translated(result.point.text())}\n{when}"
        day = self.ward.store.current_by_root("infusion_days", result.day_id or "")
        number = day["day_number"] if day is not None else "?"
        return self.tr("Day {day} · {point}\n{when}").format(
            day=number, point=translated(result.point.text()), when=when
        )

    @staticmethod
    def _cell(reading: Interpretation) -> QTableWidgetItem:
        result = reading.result
        if result.value is not None:
            decimals = default_catalog().analyte(result.analyte).decimals
            text = f"{_comparator(result.comparator)}{format_value(result.value, decimals)}"
        else:
            text = translated(FINDINGS.get(result.finding or "", result.finding or ""))
        altered = reading.phase is not Phase.FOLLOW_UP and reading.outside
        colour = FLAGGED_COLOUR if reading.flagged else ALTERED_COLOUR if altered else None
        item = QTableWidgetItem(f"⚠ {text}" if reading.flagged else text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setToolTip(reading_text(reading))
        if colour is not None:
            item.setBackground(QBrush(QColor(colour)))
            # Light cells keep dark text, whatever the theme's text colour.
            item.setForeground(QBrush(QColor("#111827")))
        return item

    def _show_plan(self, course_id: str) -> None:
        plan = next(
            (p for p in plans_of(self.ward, self.admission.patient.id) if p.course_id == course_id),
            None,
        )
        if plan is None:
            self.plan_label.hide()
            return
        today = self.ward.clock.local(self.ward.clock.now()).date()
        upcoming = [s for s in slot_statuses(self.ward, plan, today) if s.slot.due >= today]
        following = upcoming[0].slot.due if upcoming else None
        tests = ", ".join(
            translated(plan.test_name(s.slot)) for s in upcoming if s.slot.due == following
        )
        self.plan_label.setText(
            self.tr("Follow-up plan laid out {date} by {nurse}; next: {tests} on {due}").format(
                date=f"{self.ward.clock.local(plan.laid_out_at):%d.%m.%Y}",
                nurse=plan.laid_out_by,
                tests=tests or "—",
                due=f"{following:%d.%m.%Y}" if following else "—",
            )
        )
        self.plan_label.show()

    def selected(self) -> Interpretation | None:
        """The reading of the result in the selected cell."""
        return self._cells.get((self.table.currentRow(), self.table.currentColumn()))

    def select(self, analyte: str, sample: int = -1) -> None:
        """Select the result of `analyte` in the `sample`-th column (the last by default)."""
        cells = sorted((c for c, r in self._cells.items() if r.result.analyte == analyte))
        if cells:
            row, column = cells[sample]
            self.table.setCurrentCell(row, column)

    def _show_selected(self) -> None:
        reading = self.selected()
        self.correct_button.setEnabled(reading is not None and reading.result.value is not None)
        self.strike_button.setEnabled(reading is not None)
        if reading is None:
            return
        result = reading.result
        lines = [f"<b>{html.escape(translated(result.label))}</b>"]
        if result.typed:
            lines.append(html.escape(self.tr("typed {typed}").format(typed=result.typed)))
        if result.reference is not None:
            analyte = default_catalog().analyte(result.analyte)
            lines.append(
                html.escape(
                    self.tr("range {range}").format(range=range_text(result.reference, analyte))
                )
            )
        lines.append(
            html.escape(
                self.tr("entered by {nurse}{corrected}").format(
                    nurse=result.entered_by,
                    corrected=self.tr(" (corrected)") if result.corrected else "",
                )
            )
        )
        text = " · ".join(lines)
        reading_line = reading_text(reading)
        if reading_line:
            text += "<br>" + html.escape(reading_line)
        if reading.advice is not None and reading.advice != WEEK_ADVICE:  # that one is above
            text += f"<br><b>{html.escape(translated(reading.advice))}</b>"
        if result.note:
            text += "<br>" + html.escape(self.tr("Note: {note}").format(note=result.note))
        self.details.setText(text)

    # -- actions -------------------------------------------------------------------------------

    def make_entry_dialog(self) -> LabEntryDialog:
        """The entry of a new sample of this day (tests drive it without exec)."""
        return LabEntryDialog(
            self.ward, self.admission.patient, self.nurse, admission=self.admission, parent=self
        )

    def enter_results(self) -> LabEntryDialog:
        """Enter a new sample; returns the dialog (closed)."""
        dialog = self.make_entry_dialog()
        if dialog.exec():
            self.changed = True
            self.reload()
        return dialog

    def make_correction_dialog(self) -> CorrectResultDialog | None:
        """The correction of the selected result (tests drive it without exec)."""
        reading = self.selected()
        if reading is None or reading.result.value is None:
            return None
        return CorrectResultDialog(self.ward, reading.result, self.nurse, self)

    def correct_selected(self) -> CorrectResultDialog | None:
        """Correct the selected result's value; returns the dialog (closed)."""
        dialog = self.make_correction_dialog()
        if dialog is not None and dialog.exec():
            self.changed = True
            self.reload()
        return dialog

    def make_strike_out_dialog(self) -> ReasonDialog | None:
        """Striking out the selected result (tests drive it without exec)."""
        reading = self.selected()
        if reading is None:
            return None
        result = reading.result
        return ReasonDialog(
            self.tr("Strike out {analyte}").format(analyte=translated(result.label)),
            self.tr("Why was it entered in error?"),
            lambda reason: strike_out_result(self.ward, result.id, by=self.nurse, reason=reason),
            self,
        )

    def strike_out_selected(self) -> ReasonDialog | None:
        """Strike out the selected result as entered in error; returns the dialog (closed)."""
        dialog = self.make_strike_out_dialog()
        if dialog is not None and dialog.exec():
            self.changed = True
            self.reload()
        return dialog


def _comparator(comparator: str | None) -> str:
    return {None: "", "<": "<", ">": ">", "<=": "≤", ">=": "≥"}[comparator]


class CorrectResultDialog(QDialog):
    """Correct a result's value, with the reason; the old value stays in the history."""

    def __init__(
        self, ward: Ward, result: LabResult, nurse: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.recorded = result
        self.nurse = nurse
        analyte = default_catalog().analyte(result.analyte)
        self.setWindowTitle(self.tr("Correct {analyte}").format(analyte=translated(result.label)))
        self.value = QLineEdit()
        self.value.setObjectName(result.analyte)
        self.value.setMinimumHeight(TOUCH)
        self.unit = QComboBox()
        self.unit.setMinimumHeight(TOUCH)
        for choice in analyte.units:
            self.unit.addItem(choice.shown, choice.ucum)
        self.unit.setCurrentIndex(self.unit.findData(analyte.report_unit))
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMinimumHeight(TOUCH)
        self.reason.setPlaceholderText(self.tr("Why the record is wrong"))
        value_row = QHBoxLayout()
        value_row.addWidget(self.value)
        value_row.addWidget(self.unit)
        form = QFormLayout()
        form.addRow(QLabel(self.tr("Recorded: {typed}").format(typed=result.typed or "")))
        form.addRow(self.tr("New value"), value_row)
        form.addRow(self.tr("Reason *"), self.reason)
        self.error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Store the corrected value, or say why it cannot be."""
        if attempt(
            lambda: correct_result(
                self.ward,
                self.recorded.id,
                text=self.value.text(),
                unit=str(self.unit.currentData()),
                by=self.nurse,
                reason=self.reason.text(),
            ),
            self.error,
        ):
            self.accept()


class ReasonDialog(QDialog):
    """Ask the reason for an action and take it; what goes wrong is said beside the reason."""

    def __init__(
        self,
        title: str,
        question: str,
        action: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.action = action
        self.setWindowTitle(title)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMinimumHeight(TOUCH)
        self.reason.setMinimumWidth(420)
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Take the action with the reason given, or say why it cannot be taken."""
        if attempt(lambda: self.action(self.reason.text()), self.error):
            self.accept()


def attempt(action: Callable[[], object], error: QLabel) -> bool:
    """Take `action`; when the domain refuses it, say why in `error` and return False."""
    try:
        action()
    except EntryError as exc:
        error.setText("\n".join(translated(p.message) for p in exc.problems))
        error.show()
        return False
    except AlemMonitorError as exc:
        error.setText(message_of(exc))
        error.show()
        return False
    return True
