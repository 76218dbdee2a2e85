"""The nurse's alarm dialogs: the alemtuzumab warning checklist, and a patient's own limits.

Both store nothing until what was entered is complete and valid; each problem is shown beside
its field.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.alarm_rules import Priority
from alemmonitor.errors import EntryError
from alemmonitor.patient_alarms import STOP_ADVICE, WarningCheck, levels_text
from alemmonitor.vitals import LABELS, unit_text
from alemmonitor.ward import Admission
from alemmonitor.watch import AlarmWatch
from ui.dialogs import error_label, save_cancel
from ui.i18n import translated


class WarningChecklistDialog(QDialog):
    """Ask each warning sign of stroke, arterial dissection, myocardial ischaemia and pulmonary
    haemorrhage, yes or no. Any yes shows "stop the infusion, call the physician" at once.

    After `accept()`, `check` holds the stored checklist.
    """

    def __init__(
        self,
        watch: AlarmWatch,
        admission: Admission,
        nurse: str,
        trigger: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Warning signs: stroke, dissection, heart, lungs"))
        self.watch = watch
        self.admission = admission
        self.nurse = nurse
        self.trigger = trigger
        self.check: WarningCheck | None = None
        intro = QLabel(
            self.tr("{patient}: {trigger}. Ask and look for each sign; answer every line.").format(
                patient=admission.patient.name, trigger=trigger
            )
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.groups: dict[str, QButtonGroup] = {}
        self.errors: dict[str, QLabel] = {}
        for row, sign in enumerate(watch.rules.warning.signs):
            text = QLabel(translated(sign.words))
            text.setWordWrap(True)
            yes = QPushButton(self.tr("Yes"))
            no = QPushButton(self.tr("No"))
            group = QButtonGroup(self)
            for value, button in ((1, yes), (0, no)):
                button.setCheckable(True)
                button.setMinimumSize(80, 44)
                button.setObjectName(f"{sign.id}-{'yes' if value else 'no'}")
                group.addButton(button, value)
            group.idToggled.connect(self._answered)
            self.groups[sign.id] = group
            self.errors[sign.id] = error_label()
            grid.addWidget(text, 2 * row, 0)
            grid.addWidget(yes, 2 * row, 1)
            grid.addWidget(no, 2 * row, 2)
            grid.addWidget(self.errors[sign.id], 2 * row + 1, 0, 1, 3)
        self.advice = QLabel(translated(STOP_ADVICE))
        self.advice.setObjectName("stopAdvice")
        self.advice.setWordWrap(True)
        self.advice.hide()
        self.general_error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.advice)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def answer(self, sign_id: str, *, present: bool) -> None:
        """Answer one sign (as a tap on Yes or No does)."""
        button = self.groups[sign_id].button(1 if present else 0)
        button.setChecked(True)

    def answers(self) -> dict[str, bool | None]:
        """Every sign with its answer so far (None: not answered)."""
        return {
            sign_id: None if group.checkedId() < 0 else group.checkedId() == 1
            for sign_id, group in self.groups.items()
        }

    def _answered(self, _id: int, checked: bool) -> None:  # noqa: FBT001 - Qt's signal
        if checked:
            self.advice.setVisible(any(self.answers().values()))

    def save(self) -> None:
        """Store the checklist when every sign is answered."""
        for label in [*self.errors.values(), self.general_error]:
            label.hide()
        try:
            self.check = self.watch.record_warning_check(
                self.admission, self.answers(), trigger=self.trigger, by=self.nurse
            )
        except EntryError as exc:
            for problem in exc.problems:
                label = self.errors.get(problem.field, self.general_error)
                label.setText(self.tr("Answer yes or no"))
                label.show()
            return
        self.accept()


class LimitsDialog(QDialog):
    """The patient's alarm limits: the site's, with the patient's own in their place; change one
    level with a reason, or prescribe NEWS2's SpO2 scale 2.

    Stores each change at once when valid (the table then shows it); `changed` counts them.
    """

    def __init__(
        self, watch: AlarmWatch, admission: Admission, nurse: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("Alarm limits: {patient}").format(patient=admission.patient.name)
        )
        self.watch = watch
        self.admission = admission
        self.nurse = nurse
        self.changed = 0
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("limitsTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Parameter"), self.tr("Alarm below"), self.tr("Alarm above")]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)

        self.parameter = QComboBox()
        self.parameter.setObjectName("limitParameter")
        for parameter in watch.rules.limits:
            self.parameter.addItem(
                translated(LABELS.get(parameter.value, parameter.value)), parameter.value
            )
        self.side = QComboBox()
        self.side.setObjectName("limitSide")
        self.side.addItem(self.tr("below (low limit)"), "low")
        self.side.addItem(self.tr("above (high limit)"), "high")
        self.priority = QComboBox()
        self.priority.setObjectName("limitPriority")
        for priority in Priority:
            self.priority.addItem(translated(priority.text), priority.value)
        self.value = QLineEdit()
        self.value.setObjectName("limitValue")
        self.value.setPlaceholderText(self.tr("a number; empty switches a level off"))
        self.reason = QLineEdit()
        self.reason.setObjectName("limitReason")
        self.value_error = error_label()
        self.reason_error = error_label()
        self.apply_button = QPushButton(self.tr("Change limit"))
        self.apply_button.clicked.connect(self.apply)

        self._build_scale()
        self._lay_out()
        self._show_limits()

    def _build_scale(self) -> None:
        self.scale = QComboBox()
        self.scale.setObjectName("spo2Scale")
        self.scale.addItem(self.tr("Scale 1 (most patients)"), 1)
        self.scale.addItem(self.tr("Scale 2 (hypercapnic respiratory failure)"), 2)
        self.scale_reason = QLineEdit()
        self.scale_reason.setObjectName("scaleReason")
        self.scale_error = error_label()
        self.scale_button = QPushButton(self.tr("Set SpO2 scale"))
        self.scale_button.clicked.connect(self.apply_scale)

    def _lay_out(self) -> None:
        form = QFormLayout()
        level = QHBoxLayout()
        for widget in (self.parameter, self.side, self.priority):
            widget.setMinimumHeight(44)
            level.addWidget(widget)
        form.addRow(self.tr("Level"), level)
        form.addRow(self.tr("New limit"), _stacked(self.value, self.value_error))
        form.addRow(self.tr("Reason"), _stacked(self.reason, self.reason_error))
        form.addRow("", self.apply_button)
        form.addRow(self.tr("NEWS2 SpO2"), self.scale)
        form.addRow(self.tr("Reason"), _stacked(self.scale_reason, self.scale_error))
        form.addRow("", self.scale_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addWidget(close)
        for field in (self.value, self.reason, self.scale_reason, self.apply_button):
            field.setMinimumHeight(44)

    def _show_limits(self) -> None:
        limits = self.watch.limits_for(self.admission)
        self.table.setRowCount(len(limits))
        for row, (parameter, limit) in enumerate(limits.items()):
            unit = unit_text(parameter)
            for column, text in enumerate(
                (
                    translated(LABELS.get(parameter, parameter)),
                    translated(levels_text(limit.low, unit)),
                    translated(levels_text(limit.high, unit)),
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def choose(self, parameter: str, side: str, priority: Priority) -> None:
        """Select the level to change (as the nurse does with the three lists)."""
        self.parameter.setCurrentIndex(self.parameter.findData(parameter))
        self.side.setCurrentIndex(self.side.findData(side))
        self.priority.setCurrentIndex(self.priority.findData(priority.value))

    def apply(self) -> None:
        """Store the change of the chosen level when it is valid."""
        self.value_error.hide()
        self.reason_error.hide()
        text = self.value.text().strip().replace(",", ".")
        value: float | None = None
        if text:
            try:
                value = float(text)
            except ValueError:
                self.value_error.setText(self.tr("Enter a number, or leave empty"))
                self.value_error.show()
                return
        level = (
            str(self.parameter.currentData()),
            str(self.side.currentData()),
            Priority(int(self.priority.currentData())),
        )
        try:
            self.watch.set_limit(
                self.admission, level, value, by=self.nurse, reason=self.reason.text()
            )
        except EntryError as exc:
            for problem in exc.problems:
                label = self.reason_error if problem.field == "reason" else self.value_error
                label.setText(translated(problem.message))
                label.show()
            return
        self.changed += 1
        self.value.clear()
        self.reason.clear()
        self._show_limits()

    def apply_scale(self) -> None:
        """Store the SpO2 scale when a reason is given."""
        self.scale_error.hide()
        try:
            self.watch.set_spo2_scale(
                self.admission,
                int(self.scale.currentData()),
                by=self.nurse,
                reason=self.scale_reason.text(),
            )
        except EntryError as exc:
            self.scale_error.setText("; ".join(translated(p.message) for p in exc.problems))
            self.scale_error.show()
            return
        self.changed += 1
        self.scale_reason.clear()


def _stacked(field: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(field)
    column.addWidget(error)
    return box
