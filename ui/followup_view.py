"""The unit's follow-up after courses: what is due, due soon and overdue, per patient.

The domain (`alemmonitor.followup`) lays out the plans and says where each slot stands; this
dialog lists the open slots by patient and date (the missed ones too, when asked: their results
may still come back), takes results against a slot, records a test not done here with the
reason, shows a patient's whole plan and its PDF, and ends a course early.
"""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import local_date
from alemmonitor.followup import (
    CourseUnderWay,
    FollowUpPlan,
    FollowUpVisit,
    SlotState,
    SlotStatus,
    courses_under_way,
    end_course,
    skip_slots,
    slot_statuses,
    worklist,
)
from alemmonitor.labs import FINDINGS, LABELS, format_value
from alemmonitor.labs_catalog import default_catalog
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.ward import Ward
from ui.i18n import translated
from ui.lab_dialog import TOUCH, LabEntryDialog, ReasonDialog

if TYPE_CHECKING:
    from ui.report_dialog import FollowUpReportDialog

STATE_COLOURS = {
    SlotState.UPCOMING: None,
    SlotState.DUE_SOON: None,
    SlotState.DUE: "#dbe7ff",
    SlotState.OVERDUE: "#ffe2b8",
    SlotState.MISSED: "#ffe2b8",
    SlotState.DONE: "#e6f4e6",
    SlotState.SKIPPED: "#eeeeee",
}
"""The day view's colours: due blue, overdue amber, done green, skipped grey."""

COLUMNS = (
    QT_TRANSLATE_NOOP("FollowUpView", "Due"),
    QT_TRANSLATE_NOOP("FollowUpView", "Patient"),
    QT_TRANSLATE_NOOP("FollowUpView", "Course"),
    QT_TRANSLATE_NOOP("FollowUpView", "Tests"),
    QT_TRANSLATE_NOOP("FollowUpView", "State"),
    QT_TRANSLATE_NOOP("FollowUpView", "Missed"),
)


def _touch_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    return button


def _table(columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(36)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    for column in range(len(columns)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill_row(table: QTableWidget, row: int, values: list[str], colour: str | None) -> None:
    for column, text in enumerate(values):
        item = QTableWidgetItem(text)
        item.setToolTip(text)
        if colour is not None:
            item.setBackground(QBrush(QColor(colour)))
            # Light rows keep dark text, whatever the theme's text colour.
            item.setForeground(QBrush(QColor("#111827")))
        table.setItem(row, column, item)


class FollowUpDialog(QDialog):
    """The follow-up worklist of the whole unit and the courses still under way.

    Each row is one patient's open tests of one date, the most pressing first (overdue, due,
    due soon; missed ones last, when shown). From a row the nurse enters the results against
    its slots (a missed test's result that came back late too), records the tests as not done
    here, opens the patient's plan or its PDF. `changed` says whether anything was stored.
    Lives on the GUI thread.
    """

    def __init__(self, ward: Ward, nurse: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ward = ward
        self.nurse = nurse
        self.changed = False
        self.visits: list[FollowUpVisit] = []
        self.courses: list[CourseUnderWay] = []
        self.setWindowTitle(self.tr("Follow-up after the course"))
        self.table = _table([translated(title) for title in COLUMNS])
        self.table.setObjectName("followUpList")
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.enter_results())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.enter_button = _touch_button(self.tr("Enter results…"))
        self.enter_button.clicked.connect(self.enter_results)
        self.skip_button = _touch_button(self.tr("Not done here…"))
        self.skip_button.setToolTip(self.tr("Taken elsewhere, declined: record why"))
        self.skip_button.clicked.connect(self.skip_selected)
        self.plan_button = _touch_button(self.tr("Plan…"))
        self.plan_button.setToolTip(self.tr("The patient's whole plan with every result"))
        self.plan_button.clicked.connect(self.show_plan)
        self.pdf_button = _touch_button(self.tr("Follow-up PDF…"))
        self.pdf_button.setToolTip(self.tr("The patient's follow-up to check, print and save"))
        self.pdf_button.clicked.connect(self.show_report)
        actions = QHBoxLayout()
        actions.addWidget(self.enter_button)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.plan_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        close = _touch_button(self.tr("Close"))
        close.clicked.connect(self.accept)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_top())
        layout.addWidget(self.table, 2)
        layout.addLayout(actions)
        layout.addWidget(self._build_courses(), 1)
        self.resize(1240, 700)
        self.reload()

    def _build_top(self) -> QHBoxLayout:
        """The day's summary, finding a patient and showing the missed tests."""
        self.summary = QLabel()
        self.summary.setObjectName("followUpSummary")
        self.show_missed = QCheckBox(self.tr("Show missed tests"))
        self.show_missed.setObjectName("showMissed")
        self.show_missed.setToolTip(
            self.tr("A missed test's result may still come back: enter it against its date")
        )
        self.show_missed.toggled.connect(self.reload)
        self.find_patient = QLineEdit()
        self.find_patient.setObjectName("findPatient")
        self.find_patient.setPlaceholderText(self.tr("Find a patient: name or ID"))
        self.find_patient.setToolTip(
            self.tr(
                "Only this patient, with their missed tests and their next test: for their "
                "plan or PDF, or a sample taken early"
            )
        )
        self.find_patient.setClearButtonEnabled(True)
        self.find_patient.setMinimumHeight(TOUCH)
        self.find_patient.textChanged.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.find_patient)
        top.addWidget(self.show_missed)
        return top

    def _build_courses(self) -> QGroupBox:
        box = QGroupBox(self.tr("Courses under way (no follow-up plan yet)"))
        self.courses_table = _table(
            [
                self.tr("Patient"),
                self.tr("Course"),
                self.tr("Days given"),
                self.tr("Last infusion"),
            ]
        )
        self.courses_table.setObjectName("coursesUnderWay")
        self.courses_table.setMinimumHeight(36 * 4)
        self.courses_table.itemSelectionChanged.connect(self._selection_changed)
        self.end_early_button = _touch_button(self.tr("End course early…"))
        self.end_early_button.clicked.connect(self.end_selected_course_early)
        column = QVBoxLayout(box)
        column.addWidget(self.courses_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.end_early_button)
        row.addStretch(1)
        column.addLayout(row)
        return box

    @property
    def today(self) -> date:
        """The ward's date."""
        return local_date(self.ward.clock, self.ward.clock.now())

    def reload(self) -> None:
        """Read the plans, the slots and the courses again."""
        self.visits = worklist(
            self.ward,
            self.today,
            with_missed=self.show_missed.isChecked(),
            patient=self.find_patient.text(),
        )
        self.table.setRowCount(len(self.visits))
        for row, visit in enumerate(self.visits):
            tests = ", ".join(translated(visit.plan.test_name(s.slot)) for s in visit.slots)
            patient = visit.patient
            _fill_row(
                self.table,
                row,
                [
                    f"{visit.due:%d.%m.%Y}",
                    f"{patient.name} · {patient.hospital_id}",
                    str(visit.plan.course_number),
                    tests,
                    translated(visit.state.text),
                    str(visit.missed) if visit.missed else "",
                ],
                STATE_COLOURS.get(visit.state),
            )
        # The day's summary is the unit's, whoever is looked up.
        unit = worklist(self.ward, self.today) if self.find_patient.text().strip() else self.visits
        counts = {state: sum(1 for v in unit if v.state is state) for state in SlotState}
        open_visits = counts[SlotState.OVERDUE] + counts[SlotState.DUE] + counts[SlotState.DUE_SOON]
        self.summary.setText(
            self.tr("Today {today}: {overdue} overdue · {due} due · {soon} due soon").format(
                today=f"{self.today:%d.%m.%Y}",
                overdue=counts[SlotState.OVERDUE],
                due=counts[SlotState.DUE],
                soon=counts[SlotState.DUE_SOON],
            )
            if open_visits
            else self.tr("Today {today}: no follow-up test is due.").format(
                today=f"{self.today:%d.%m.%Y}"
            )
        )
        self.courses = courses_under_way(self.ward)
        self.courses_table.setRowCount(len(self.courses))
        for row, course in enumerate(self.courses):
            _fill_row(
                self.courses_table,
                row,
                [
                    f"{course.patient.name} · {course.patient.hospital_id}",
                    str(course.course_number),
                    self.tr("{given} of {days}").format(given=course.given, days=course.days),
                    f"{course.last_given:%d.%m.%Y}" if course.last_given else "",
                ],
                None,
            )
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected_visit() is not None
        for button in (self.enter_button, self.skip_button, self.plan_button, self.pdf_button):
            button.setEnabled(chosen)
        course = self.selected_course()
        self.end_early_button.setEnabled(course is not None)
        complete = course is not None and course.given >= course.days
        self.end_early_button.setText(
            self.tr("Lay out the follow-up…") if complete else self.tr("End course early…")
        )
        self.end_early_button.setToolTip(
            self.tr("Every day was given: lay out the follow-up from the last infusion")
            if complete
            else self.tr("The remaining infusions are not given: lay out the follow-up now")
        )

    def selected_visit(self) -> FollowUpVisit | None:
        """The patient's date chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.visits[rows[0].row()] if rows else None

    def selected_course(self) -> CourseUnderWay | None:
        """The course chosen among those under way."""
        rows = self.courses_table.selectionModel().selectedRows()
        return self.courses[rows[0].row()] if rows else None

    def select_patient(self, name: str, due: date | None = None) -> None:
        """Choose the first row of the patient called `name` (on `due`, when given)."""
        for row, visit in enumerate(self.visits):
            if visit.patient.name == name and due in (None, visit.due):
                self.table.selectRow(row)
                return

    # -- actions -------------------------------------------------------------------------------

    def make_entry_dialog(self) -> LabEntryDialog | None:
        """The entry of results against the chosen row's slots (tests drive it without exec)."""
        visit = self.selected_visit()
        if visit is None:
            return None
        return LabEntryDialog(
            self.ward,
            visit.patient,
            self.nurse,
            plan=visit.plan,
            slots=[status.slot for status in visit.slots],
            parent=self,
        )

    def enter_results(self) -> LabEntryDialog | None:
        """Enter the results of the chosen row; returns the dialog (closed)."""
        dialog = self.make_entry_dialog()
        if dialog is not None and dialog.exec():
            self.changed = True
            self.reload()
        return dialog

    def make_skip_dialog(self) -> ReasonDialog | None:
        """Recording the chosen row's tests as not done here (tests drive it without exec)."""
        visit = self.selected_visit()
        if visit is None:
            return None

        def skip(reason: str) -> None:
            slots = [status.slot for status in visit.slots]
            skip_slots(self.ward, visit.plan, slots, by=self.nurse, reason=reason)

        tests = ", ".join(translated(visit.plan.test_name(s.slot)) for s in visit.slots)
        return ReasonDialog(
            self.tr("Not done here: {name}").format(name=visit.patient.name),
            self.tr("Why are {tests} of {date} not done here?").format(
                tests=tests, date=f"{visit.due:%d.%m.%Y}"
            ),
            skip,
            self,
        )

    def skip_selected(self) -> ReasonDialog | None:
        """Record the chosen row's tests as not done here; returns the dialog (closed)."""
        dialog = self.make_skip_dialog()
        if dialog is not None and dialog.exec():
            self.changed = True
            self.reload()
        return dialog

    def make_plan_dialog(self) -> PlanDialog | None:
        """The chosen patient's plan (tests look at it without exec)."""
        visit = self.selected_visit()
        if visit is None:
            return None
        return PlanDialog(self.ward, visit.plan, self.today, self)

    def show_plan(self) -> PlanDialog | None:
        """Show the chosen patient's whole plan; returns the dialog (closed)."""
        dialog = self.make_plan_dialog()
        if dialog is not None:
            dialog.exec()
        return dialog

    def make_report_dialog(self) -> FollowUpReportDialog | None:
        """The chosen patient's follow-up PDF (tests look at it without exec)."""
        from ui.report_dialog import FollowUpReportDialog  # noqa: PLC0415 - the PDF tools load when first needed

        visit = self.selected_visit()
        if visit is None:
            return None
        return FollowUpReportDialog(self.ward, visit.patient, self)

    def show_report(self) -> FollowUpReportDialog | None:
        """Preview the chosen patient's follow-up PDF and save it; returns the dialog (closed)."""
        dialog = self.make_report_dialog()
        if dialog is not None:
            dialog.exec()
        return dialog

    def make_end_early_dialog(self) -> ReasonDialog | None:
        """Ending the chosen course now (tests drive it without exec)."""
        course = self.selected_course()
        if course is None:
            return None
        if course.given >= course.days:
            title = self.tr("Follow-up of course {course} of {name}")
            question = self.tr(
                "All {days} days were given. The follow-up is counted from the last infusion. "
                "Note, if any:"
            )
        else:
            title = self.tr("End course {course} of {name} early")
            question = self.tr(
                "{given} of {days} days were given. Why are the others not given? The follow-up "
                "is counted from the last infusion given."
            )
        return ReasonDialog(
            title.format(course=course.course_number, name=course.patient.name),
            question.format(given=course.given, days=course.days),
            lambda reason: end_course(self.ward, course.course_id, by=self.nurse, reason=reason),
            self,
        )

    def end_selected_course_early(self) -> ReasonDialog | None:
        """End the chosen course early; returns the dialog (closed)."""
        dialog = self.make_end_early_dialog()
        if dialog is not None and dialog.exec():
            self.changed = True
            self.reload()
        return dialog


class PlanDialog(QDialog):
    """One patient's follow-up plan: every test with its date, where it stands and its results."""

    def __init__(
        self, ward: Ward, plan: FollowUpPlan, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        patient = plan.patient
        self.setWindowTitle(self.tr("Follow-up plan · {name}").format(name=patient.name))
        anchors = self.tr(
            "Course {course}: first infusion {first}, last infusion {last}; laid out {at} by {by}"
        ).format(
            course=plan.course_number,
            first=f"{plan.first_infusion:%d.%m.%Y}",
            last=f"{plan.last_infusion:%d.%m.%Y}",
            at=f"{ward.clock.local(plan.laid_out_at):%d.%m.%Y}",
            by=plan.laid_out_by,
        )
        if plan.ended_early:
            anchors += " · " + self.tr("ended early: {reason}").format(reason=plan.reason or "")
        heading = QLabel(f"<b>{html.escape(patient.name)}</b><br>{html.escape(anchors)}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.table = _table(
            [self.tr("Date"), self.tr("Test"), self.tr("State"), self.tr("Results")]
        )
        self.table.setObjectName("planTable")
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.statuses = slot_statuses(ward, plan, today)
        self.table.setRowCount(len(self.statuses))
        for row, status in enumerate(self.statuses):
            _fill_row(
                self.table,
                row,
                [
                    f"{status.slot.due:%d.%m.%Y}",
                    translated(plan.test_name(status.slot)),
                    translated(status.text),
                    self._results_text(status),
                ],
                STATE_COLOURS.get(status.state),
            )
        # The plan runs for years: the next test is in view, the done ones above it.
        current = next((i for i, st in enumerate(self.statuses) if st.slot.due >= today), None)
        item = self.table.item(current, 0) if current is not None else None
        if item is not None:
            self.table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)
        close = _touch_button(self.tr("Close"))
        close.clicked.connect(self.accept)
        row_layout = QHBoxLayout()
        row_layout.addStretch(1)
        row_layout.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(row_layout)
        self.resize(1000, 640)

    def _results_text(self, status: SlotStatus) -> str:
        if status.skip_reason is not None:
            return self.tr("not done here: {reason}").format(reason=status.skip_reason)
        parts = []
        catalog = default_catalog()
        for result in status.results:
            name = translated(LABELS.get(result.analyte, result.analyte))
            if result.value is not None:
                decimals = catalog.analyte(result.analyte).decimals
                parts.append(f"{name} {format_value(result.value, decimals)}")
            elif result.finding is not None:
                parts.append(f"{name} {translated(FINDINGS.get(result.finding, result.finding))}")
        return ", ".join(parts)
