"""One patient's infusion day: the protocol checklist, the infusion's progress, what to do next.

The view shows what the engine derives; every action opens a dialog that records through the
ward, and the view re-reads the day afterwards. Nothing here decides what is allowed.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.alarms import Alarm
from alemmonitor.display import countdown_text, duration_text
from alemmonitor.infusion_day import (
    DayStatus,
    EventKind,
    InfusionDay,
    InfusionState,
    Task,
    TaskKind,
    TaskState,
    describe,
)
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.trends import TrendSource, day_markers
from alemmonitor.vitals import LABELS
from alemmonitor.ward import Admission, Ward
from alemmonitor.watch import AlarmWatch, ScoredSet
from ui.alarm_dialogs import LimitsDialog, WarningChecklistDialog
from ui.alarm_view import AlarmList, Flasher
from ui.event_dialog import ACTIONS, CorrectionDialog, EventDialog
from ui.i18n import translated
from ui.lab_dialog import LabResultsDialog
from ui.reactions_panel import ReactionsPanel
from ui.trends import TrendsWidget

# What recording an open task means.
TASK_EVENTS = {
    TaskKind.PREMEDICATION: EventKind.PREMEDICATION_GIVEN,
    TaskKind.STEROID_START: EventKind.STEROID_STARTED,
    TaskKind.STEROID_FINISH: EventKind.STEROID_FINISHED,
    TaskKind.INFUSION_START: EventKind.INFUSION_STARTED,
    TaskKind.INFUSION_END: EventKind.INFUSION_COMPLETED,
    TaskKind.LAB: EventKind.LAB_SAMPLED,
    TaskKind.OBSERVATION_END: EventKind.OBSERVATION_ENDED,
}
SKIPPABLE = frozenset(
    {TaskKind.PREMEDICATION, TaskKind.STEROID_START, TaskKind.VITALS, TaskKind.LAB}
)
STATE_COLOURS = {
    TaskState.DUE: "#dbe7ff",
    TaskState.OVERDUE: "#ffe2b8",
    TaskState.DONE: "#e6f4e6",
    TaskState.SKIPPED: "#eeeeee",
}
COLUMNS = (
    QT_TRANSLATE_NOOP("DayView", "Planned"),
    QT_TRANSLATE_NOOP("DayView", "Step"),
    QT_TRANSLATE_NOOP("DayView", "Done"),
    QT_TRANSLATE_NOOP("DayView", "By"),
    QT_TRANSLATE_NOOP("DayView", "State"),
)


class DayView(QWidget):
    """The day of the patient on one chair.

    Signals: `back_requested()` (return to the ward), `recorded()` (something was stored),
    `vitals_requested(Task | None)` (the window opens the vital-signs entry), and
    `discharge_requested(Admission)` (the patient is to leave the chair). GUI thread only.
    """

    back_requested = Signal()
    recorded = Signal()
    vitals_requested = Signal(object)
    discharge_requested = Signal(object)

    def __init__(self, ward: Ward, watch: AlarmWatch, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ward = ward
        self.watch = watch
        self.nurse = ""
        self.admission: Admission | None = None
        self.day: InfusionDay | None = None
        self.status: DayStatus | None = None

        header = self._build_header()
        task_buttons = self._build_checklist()
        self.alarm_list = AlarmList(self)
        self.alarm_list.hide()
        self.news2_label = QLabel()
        self.news2_label.setObjectName("news2Label")
        self.news2_label.setWordWrap(True)
        self.left = QVBoxLayout()
        self.left.addWidget(self.alarm_list)
        self.left.addWidget(self.progress_label)
        self.left.addWidget(self.news2_label)
        self.left.addWidget(self.actions_box)
        self.left.addWidget(self.checklist, 1)
        self.left.addLayout(task_buttons)
        self.left.addWidget(self.problems_label)
        self.right = QVBoxLayout()
        self.trends = TrendsWidget(TrendSource(ward.store), ward.clock, self)
        self.right.addWidget(self.trends, 1)
        self.reactions = ReactionsPanel(ward, self)
        self.reactions.changed.connect(self.recorded)
        self.reactions.changed.connect(self._update_markers)
        self.right.addWidget(self.reactions)
        body = QHBoxLayout()
        body.addLayout(self.left, 5)
        body.addLayout(self.right, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)

    def _build_header(self) -> QHBoxLayout:
        """The line naming the patient and the step, with the way back to the ward."""
        self.back_button = QPushButton(self.tr("← Ward"))
        self.back_button.setToolTip(self.tr("Back to the ward overview (Esc)"))
        self.back_button.setMinimumSize(110, 44)
        self.back_button.clicked.connect(self.back_requested)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.activated.connect(self.back_requested)
        self.title = QLabel()
        self.title.setObjectName("dayTitle")
        self.step_label = QLabel()
        self.step_label.setObjectName("dayStep")
        self.discharge_button = QPushButton(self.tr("Discharge…"))
        self.discharge_button.setMinimumSize(110, 44)
        self.discharge_button.setToolTip(
            self.tr("The patient leaves the chair; the day stays recorded")
        )
        self.discharge_button.clicked.connect(self._request_discharge)
        self.limits_button = QPushButton(self.tr("Alarm limits…"))
        self.limits_button.setMinimumHeight(44)
        self.limits_button.setToolTip(self.tr("This patient's alarm limits and NEWS2 SpO2 scale"))
        self.limits_button.clicked.connect(self.change_limits)
        self.warning_button = QPushButton(self.tr("Warning signs…"))
        self.warning_button.setObjectName("warningButton")
        self.warning_button.setMinimumHeight(44)
        self.warning_button.setToolTip(
            self.tr("Stroke, arterial dissection, heart, lungs: ask and record the signs")
        )
        self.warning_button.clicked.connect(
            lambda: self.check_warning_signs(self.tr("reported by the nurse"))
        )
        self.labs_button = QPushButton(self.tr("Blood results…"))
        self.labs_button.setMinimumHeight(44)
        self.labs_button.setToolTip(self.tr("This course's blood results, read against the study"))
        self.labs_button.clicked.connect(self.show_lab_results)
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title, 1)
        header.addWidget(self.step_label)
        header.addWidget(self.warning_button)
        header.addWidget(self.labs_button)
        header.addWidget(self.limits_button)
        header.addWidget(self.discharge_button)
        return header

    def show_alarms(self, alarms: list[Alarm], now: datetime, flasher: Flasher) -> None:
        """Show the alarms of this patient's chair, most urgent first."""
        self.alarm_list.show_alarms(alarms, now, flasher)

    def make_warning_dialog(self, trigger: str) -> WarningChecklistDialog:
        """The warning checklist for this patient (tests drive it without exec)."""
        if self.admission is None:
            raise RuntimeError("no patient's day is shown")
        return WarningChecklistDialog(self.watch, self.admission, self.nurse, trigger, self)

    def check_warning_signs(self, trigger: str) -> WarningChecklistDialog | None:
        """Ask the warning signs, opened by an alarm or by the nurse; returns it (closed)."""
        if self.admission is None:
            return None
        dialog = self.make_warning_dialog(trigger)
        dialog.exec()
        return dialog

    def make_lab_results_dialog(self) -> LabResultsDialog:
        """This course's blood results (tests drive it without exec)."""
        if self.admission is None:
            raise RuntimeError("no patient's day is shown")
        return LabResultsDialog(self.ward, self.admission, self.nurse, self)

    def show_lab_results(self) -> LabResultsDialog | None:
        """Show and enter this course's blood results; returns the dialog (closed)."""
        if self.admission is None:
            return None
        dialog = self.make_lab_results_dialog()
        dialog.exec()
        if dialog.changed:  # a platelet count may have ticked the day's step
            self.reload()
            self.recorded.emit()
        return dialog

    def make_limits_dialog(self) -> LimitsDialog:
        """This patient's limits (tests drive it without exec)."""
        if self.admission is None:
            raise RuntimeError("no patient's day is shown")
        return LimitsDialog(self.watch, self.admission, self.nurse, self)

    def change_limits(self) -> LimitsDialog | None:
        """Show and change this patient's alarm limits; returns the dialog (closed)."""
        if self.admission is None:
            return None
        dialog = self.make_limits_dialog()
        dialog.exec()
        if dialog.changed:
            self.show_news2()
        return dialog

    def show_news2(self) -> None:
        """Show NEWS2 of the latest complete set, and when the next set is due by it."""
        if self.admission is None:
            return
        self.news2_label.setText(self._news2_text(self.watch.news2_of(self.admission)))

    def _news2_text(self, scored: ScoredSet | None) -> str:
        if scored is None:
            return self.tr("NEWS2: no vital signs charted yet")
        if scored.score is None:
            missing = ", ".join(translated(LABELS.get(name, name)) for name in scored.missing)
            return self.tr("NEWS2: the latest set ({at}) lacks {missing}").format(
                at=self._hm(scored.at), missing=missing
            )
        score = scored.score
        parts = ", ".join(
            f"{translated(LABELS.get('hr' if name == 'pulse' else name, name))} {points}"
            for name, points in score.scores.items()
            if points
        )
        interval = score.minimum_interval
        if interval is None:
            frequency = self.tr("continuous monitoring")
        else:
            due = scored.at + interval
            if self.status is not None and self.status.next_vitals_due is not None:
                due = min(due, self.status.next_vitals_due)  # the protocol's floor
            frequency = self.tr("next set by {time}").format(time=self._hm(due))
        return self.tr("NEWS2 {score} ({band}) at {at}{parts} · {frequency}").format(
            score=score.aggregate,
            band=translated(score.band.text),
            at=self._hm(scored.at),
            parts=f": {parts}" if parts else "",
            frequency=frequency,
        )

    def _request_discharge(self) -> None:
        if self.admission is not None:
            self.discharge_requested.emit(self.admission)

    def _build_checklist(self) -> QHBoxLayout:
        """Progress, the action buttons and the checklist; returns the row of task buttons."""
        self.progress_label = QLabel()
        self.progress_label.setObjectName("dayProgress")
        self.progress_label.setWordWrap(True)
        self.actions_box = QGroupBox(self.tr("Record"))
        self.actions_grid = QGridLayout(self.actions_box)
        self.action_buttons: dict[EventKind, QPushButton] = {}

        self.checklist = QTableWidget(0, len(COLUMNS))
        self.checklist.setObjectName("checklist")
        self.checklist.setHorizontalHeaderLabels([translated(title) for title in COLUMNS])
        self.checklist.verticalHeader().hide()
        self.checklist.verticalHeader().setDefaultSectionSize(36)
        self.checklist.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklist.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header_view = self.checklist.horizontalHeader()
        for column in range(len(COLUMNS)):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.checklist.cellDoubleClicked.connect(lambda row, _col: self.record_task(row))
        self.record_task_button = QPushButton(self.tr("Record selected step…"))
        self.record_task_button.setMinimumHeight(44)
        self.record_task_button.clicked.connect(
            lambda: self.record_task(self.checklist.currentRow())
        )
        self.skip_button = QPushButton(self.tr("Skip selected step…"))
        self.skip_button.setMinimumHeight(44)
        self.skip_button.clicked.connect(self.skip_selected)
        self.correct_button = QPushButton(self.tr("Correct selected step…"))
        self.correct_button.setMinimumHeight(44)
        self.correct_button.clicked.connect(self.correct_selected)
        task_buttons = QHBoxLayout()
        task_buttons.addWidget(self.record_task_button)
        task_buttons.addWidget(self.skip_button)
        task_buttons.addWidget(self.correct_button)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("fieldError")
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()
        return task_buttons

    def show_admission(self, admission: Admission, nurse: str) -> None:
        """Show this patient's day (reading it from the record)."""
        self.admission = admission
        self.nurse = nurse
        self.reactions.show_admission(admission, nurse)
        if admission.bed_id is not None:
            self.trends.show_day(admission.bed_id, admission.id, day_markers(self.ward, admission))
        self.checklist.setRowCount(0)
        patient = admission.patient
        self.title.setText(
            self.tr("<b>{name}</b> · {id} · born {born} · {course}").format(
                name=html.escape(patient.name),
                id=html.escape(patient.hospital_id),
                born=f"{patient.date_of_birth:%d.%m.%Y}",
                course=translated(admission.course_text),
            )
        )
        self.reload()

    def _update_markers(self) -> None:
        if self.admission is not None:
            self.trends.set_markers(day_markers(self.ward, self.admission))

    def reload(self) -> None:
        """Read the day again from the record (after something was stored)."""
        if self.admission is None:
            return
        self.day = self.ward.infusion_day(self.admission)
        self._update_markers()
        self.trends.refresh()
        self._rebuild_actions()
        self.tick(self.ward.clock.now())
        self.show_news2()
        unfit = self.day.unfit
        self.problems_label.setVisible(bool(unfit))
        self.problems_label.setText(
            self.tr("Records that do not fit the protocol: {problems}").format(
                problems="; ".join(
                    self.tr("{event} at {time}: {why}").format(
                        event=translated(describe(event.kind)),
                        time=self._hm(event.at),
                        why=translated(why),
                    )
                    for event, why in unfit
                )
            )
        )

    def _rebuild_actions(self) -> None:
        if self.day is None:
            return
        for button in self.action_buttons.values():
            button.setParent(None)
            button.deleteLater()
        self.action_buttons = {}
        possible = self.day.possible_events()
        for index, kind in enumerate(possible):
            button = QPushButton(translated(ACTIONS[kind]) + "…")
            button.setMinimumHeight(48)
            button.clicked.connect(lambda _checked=False, k=kind: self.record_event(k))
            self.actions_grid.addWidget(button, index // 3, index % 3)
            self.action_buttons[kind] = button
        vitals = QPushButton(self.tr("Vital signs…"))
        vitals.setToolTip(self.tr("Enter a set of vital signs (Ctrl+V)"))
        vitals.setMinimumHeight(48)
        vitals.setShortcut(QKeySequence("Ctrl+V"))
        vitals.clicked.connect(lambda: self.vitals_requested.emit(self._next_vitals_task()))
        self.actions_grid.addWidget(vitals, len(possible) // 3, len(possible) % 3)
        self.action_buttons[EventKind.VITALS_TAKEN] = vitals
        for index, button in enumerate(
            (self.reactions.add_reaction_button, self.reactions.add_note_button),
            start=len(possible) + 1,
        ):
            self.actions_grid.removeWidget(button)  # kept from the day shown before
            self.actions_grid.addWidget(button, index // 3, index % 3)
            button.show()  # made without a parent, and so hidden until shown

    def tick(self, now: datetime) -> None:
        """Re-evaluate the day at `now`: task states, countdowns, progress."""
        if self.day is None:
            return
        self.status = self.day.status(now)
        self.step_label.setText(translated(self.status.step.text))
        self.progress_label.setText(self._progress_text(self.status, now))
        self._fill_checklist(self.status)

    def _progress_text(self, status: DayStatus, now: datetime) -> str:
        lines = []
        state = status.infusion_state
        if state is InfusionState.NOT_STARTED:
            lines.append(
                self.tr("Alemtuzumab not started; planned {time} end").format(
                    time=self._hm(status.expected_end)
                )
            )
        else:
            lines.append(
                self.tr(
                    "Alemtuzumab {state}: ran {elapsed}, {infused:.0f} of {volume:g} mL at "
                    "{rate:g} mL/h"
                ).format(
                    state=translated(state.text),
                    elapsed=duration_text(status.elapsed),
                    infused=status.volume_infused_ml,
                    volume=status.volume_ml,
                    rate=status.rate_ml_h,
                )
            )
            if status.remaining is not None and status.infusion_ended_at is None:
                lines.append(
                    self.tr("{remaining} to go; expected end {time}").format(
                        remaining=duration_text(status.remaining),
                        time=self._hm(status.expected_end),
                    )
                )
        if status.next_vitals_due is not None:
            lines.append(
                self.tr("Next vital signs {time} ({countdown})").format(
                    time=self._hm(status.next_vitals_due),
                    countdown=translated(countdown_text(status.next_vitals_due, now)),
                )
            )
        if status.observation_may_end_at is not None:
            lines.append(
                self.tr("Observation may end {time}").format(
                    time=self._hm(status.observation_may_end_at)
                )
            )
        return "\n".join(lines)

    def _fill_checklist(self, status: DayStatus) -> None:
        first_fill = self.checklist.rowCount() != len(status.tasks)
        self.checklist.setRowCount(len(status.tasks))
        for row, task in enumerate(status.tasks):
            title = translated(task.title)
            values = (
                self._hm(task.planned_at),
                f"{title} ({translated(task.note)})" if task.note else title,
                self._hm(task.done_at) if task.done_at else "",
                task.done_by or "",
                translated(task.state.text),
            )
            colour = STATE_COLOURS.get(task.state)
            for column, text in enumerate(values):
                item = self.checklist.item(row, column)
                if item is None:
                    item = QTableWidgetItem()
                    self.checklist.setItem(row, column, item)
                item.setText(text)
                if column == 1:  # a long step with its note is cut off: the whole of it on hover
                    item.setToolTip(text)
                item.setData(Qt.ItemDataRole.UserRole, task.id)
                item.setBackground(QBrush(QColor(colour)) if colour else QBrush())
                # Light rows keep dark text, whatever the theme's text colour.
                item.setForeground(QBrush(QColor("#111827")) if colour else QBrush())
                font = item.font()
                font.setBold(task.state is TaskState.OVERDUE)
                item.setFont(font)
        following = status.next_task
        if first_fill and following is not None:
            # The done steps scroll away; what is next is in view.
            item = self.checklist.item(status.tasks.index(following), 0)
            if item is not None:
                self.checklist.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _hm(self, moment: datetime | None) -> str:
        return f"{self.ward.clock.local(moment):%H:%M}" if moment is not None else "--:--"

    def _task_at(self, row: int) -> Task | None:
        if self.status is None or not 0 <= row < len(self.status.tasks):
            return None
        return self.status.tasks[row]

    def _next_vitals_task(self) -> Task | None:
        if self.status is None:
            return None
        return next(
            (
                t
                for t in self.status.tasks
                if t.kind is TaskKind.VITALS and t.state not in (TaskState.DONE, TaskState.SKIPPED)
            ),
            None,
        )

    def record_task(self, row: int) -> EventDialog | None:
        """Record the step in `row` of the checklist (vital signs go to their own entry)."""
        task = self._task_at(row)
        if task is None or task.state in (TaskState.DONE, TaskState.SKIPPED):
            return None
        if task.kind is TaskKind.VITALS:
            self.vitals_requested.emit(task)
            return None
        return self.record_event(TASK_EVENTS[task.kind], task)

    def skip_selected(self) -> EventDialog | None:
        """Skip the selected step, with a reason."""
        task = self._task_at(self.checklist.currentRow())
        if (
            task is None
            or task.kind not in SKIPPABLE
            or task.state in (TaskState.DONE, TaskState.SKIPPED)
        ):
            return None
        return self.record_event(EventKind.TASK_SKIPPED, task)

    def correct_selected(self) -> CorrectionDialog | None:
        """Correct or strike out the selected step's record, with a reason."""
        task = self._task_at(self.checklist.currentRow())
        if task is None or task.event_id is None or self.admission is None:
            return None
        dialog = CorrectionDialog(self.ward, self.admission, task, self.nurse, self)
        if dialog.exec():
            self.reload()
            self.recorded.emit()
        return dialog

    def record_event(self, kind: EventKind, task: Task | None = None) -> EventDialog | None:
        """Open the dialog that records `kind`; returns it (closed) for tests."""
        if self.admission is None:
            return None
        rate = self.status.rate_ml_h if self.status is not None else None
        dialog = self.make_event_dialog(kind, task, rate)
        if dialog.exec():
            self.reload()
            self.recorded.emit()
        return dialog

    def make_event_dialog(
        self, kind: EventKind, task: Task | None = None, rate: float | None = None
    ) -> EventDialog:
        """The dialog for `kind` (tests drive it without exec)."""
        if self.admission is None:
            raise RuntimeError("no patient's day is shown")
        return EventDialog(
            self.ward, self.admission, kind, self.nurse, task=task, rate_ml_h=rate, parent=self
        )
