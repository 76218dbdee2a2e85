"""Dialogs of the first window: register a patient, start a patient's day on a chair.

Both check everything before anything is stored and show each problem beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import local_date
from alemmonitor.errors import AlemMonitorError, EntryError
from alemmonitor.patients import Patient, check_patient
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.ward import Admission, Bed, Ward
from ui.i18n import message_of, translated

PATIENT_ROLE = Qt.ItemDataRole.UserRole


def error_label() -> QLabel:
    """A label for a problem shown beside its field (hidden until there is one)."""
    label = QLabel()
    label.setObjectName("fieldError")
    label.setWordWrap(True)
    label.hide()
    return label


def add_problem(label: QLabel | None, message: str) -> None:
    """Show `message` in a field's problem label, under what it already says (none: nowhere)."""
    if label is None:
        return
    label.setText(message if label.isHidden() else f"{label.text()}\n{message}")
    label.show()


def save_cancel(dialog: QDialog, save: Callable[[], object]) -> QDialogButtonBox:
    """A form's Save and Cancel: Save runs `save` (which accepts once it stored), Cancel
    closes the dialog storing nothing."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons


class RegisterPatientDialog(QDialog):
    """Register a new patient. After `accept()`, `patient` holds the stored record."""

    FIELDS = (
        ("patient_id", QT_TRANSLATE_NOOP("RegisterPatientDialog", "Hospital ID")),
        ("name", QT_TRANSLATE_NOOP("RegisterPatientDialog", "Name")),
        ("dob", QT_TRANSLATE_NOOP("RegisterPatientDialog", "Date of birth (YYYY-MM-DD)")),
        ("sex", QT_TRANSLATE_NOOP("RegisterPatientDialog", "Sex")),
        ("weight_kg", QT_TRANSLATE_NOOP("RegisterPatientDialog", "Weight (kg)")),
    )
    SEXES = (
        ("unknown", QT_TRANSLATE_NOOP("RegisterPatientDialog", "unknown")),
        ("female", QT_TRANSLATE_NOOP("RegisterPatientDialog", "female")),
        ("male", QT_TRANSLATE_NOOP("RegisterPatientDialog", "male")),
        ("other", QT_TRANSLATE_NOOP("RegisterPatientDialog", "other")),
    )

    def __init__(self, ward: Ward, nurse: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Register a patient"))
        self.ward = ward
        self.nurse = nurse
        self.patient: Patient | None = None
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, title in self.FIELDS:
            field: QLineEdit | QComboBox
            if key == "sex":
                field = QComboBox()
                for value, shown in self.SEXES:
                    field.addItem(translated(shown), value)
            else:
                field = QLineEdit()
            field.setMinimumHeight(44)
            field.setObjectName(key)
            self.inputs[key] = field
            self.errors[key] = error_label()
            column = QVBoxLayout()
            column.addWidget(field)
            column.addWidget(self.errors[key])
            form.addRow(translated(title), column)
        self.general_error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        """The text of every field."""
        return {
            key: field.currentData() if isinstance(field, QComboBox) else field.text()
            for key, field in self.inputs.items()
        }

    def save(self) -> None:
        """Check and store; on a problem, say it beside the field and store nothing."""
        for label in (*self.errors.values(), self.general_error):
            label.hide()
        today = local_date(self.ward.clock, self.ward.clock.now())
        try:
            draft = check_patient(self.values(), today)
            self.patient = self.ward.register_patient(draft, self.nurse)
        except EntryError as exc:
            for problem in exc.problems:
                label = self.errors.get(problem.field, self.general_error)
                label.setText(translated(problem.message))
                label.show()
            return
        except AlemMonitorError as exc:
            self.general_error.setText(message_of(exc))
            self.general_error.show()
            return
        self.accept()


class StartDayDialog(QDialog):
    """Start a patient's infusion day on a chair. After `accept()`, `admission` holds it."""

    def __init__(
        self,
        ward: Ward,
        nurse: str,
        free_beds: list[Bed],
        bed: Bed | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Start a patient's day"))
        self.setMinimumWidth(480)  # the search's hint and the patients' lines, in any language
        self.ward = ward
        self.nurse = nurse
        self.admission: Admission | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by name or hospital ID"))
        self.search.setMinimumHeight(44)
        self.search.textChanged.connect(self._fill_patients)
        self.patient_list = QListWidget()
        self.patient_list.setMinimumHeight(160)
        self.course = QSpinBox()
        self.course.setRange(1, 10)
        self.day = QSpinBox()
        self.day.setRange(1, ward.protocol.courses.first_course_days)
        self.course.valueChanged.connect(
            lambda number: self.day.setMaximum(ward.protocol.courses.days_of(number))
        )
        self.chair = QComboBox()
        for free in free_beds:
            self.chair.addItem(free.label, free)
        if bed is not None:
            self.chair.setCurrentIndex(max(0, self.chair.findText(bed.label)))
        self.start_time = QTimeEdit()
        self.start_time.setDisplayFormat("HH:mm")
        local_now = ward.clock.local(ward.clock.now())
        self.start_time.setTime(QTime(local_now.hour, local_now.minute))
        for widget in (self.course, self.day, self.chair, self.start_time):
            widget.setMinimumHeight(44)
        self.error = error_label()

        form = QFormLayout()
        form.addRow(self.tr("Patient"), self.search)
        form.addRow("", self.patient_list)
        form.addRow(self.tr("Course"), self.course)
        form.addRow(self.tr("Day of the course"), self.day)
        form.addRow(self.tr("Chair"), self.chair)
        form.addRow(self.tr("Planned start"), self.start_time)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the day"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill_patients("")

    def _fill_patients(self, text: str) -> None:
        self.patient_list.clear()
        for patient in self.ward.patients(text):
            item = QListWidgetItem(
                self.tr("{name}  ·  {id}  ·  born {born}").format(
                    name=patient.name,
                    id=patient.hospital_id,
                    born=patient.date_of_birth,
                )
            )
            item.setData(PATIENT_ROLE, patient)
            self.patient_list.addItem(item)
        if self.patient_list.count() == 1:
            self.patient_list.setCurrentRow(0)

    def selected_patient(self) -> Patient | None:
        """The patient chosen in the list."""
        item = self.patient_list.currentItem()
        patient = item.data(PATIENT_ROLE) if item is not None else None
        return patient if isinstance(patient, Patient) else None

    def save(self) -> None:
        """Admit the patient; on a problem, say it and store nothing."""
        patient = self.selected_patient()
        bed = self.chair.currentData()
        if patient is None:
            self._fail(self.tr("Choose the patient (search by name or hospital ID)."))
            return
        if bed is None:
            self._fail(self.tr("No chair is free."))
            return
        clock = self.ward.clock
        chosen = self.start_time.time()
        today = local_date(clock, clock.now())
        local_zone = clock.local(clock.now()).tzinfo
        planned = datetime.combine(today, time(chosen.hour(), chosen.minute()), local_zone)
        try:
            self.admission = self.ward.admit(
                patient,
                course_number=self.course.value(),
                day_number=self.day.value(),
                bed=bed,
                planned_start=planned,
                by=self.nurse,
            )
        except AlemMonitorError as exc:
            self._fail(message_of(exc))
            return
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class DischargeDialog(QDialog):
    """Let a patient leave their chair; the nurse says why while the day is not complete.

    After `accept()`, `admission` holds the day without its chair. Lives on the GUI thread.
    """

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        chair: str,
        nurse: str,
        *,
        complete: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Discharge from {chair}").format(chair=chair))
        self.setMinimumWidth(440)  # the reason's hint is read in full, in any language
        self.ward = ward
        self.admission = admission
        self.nurse = nurse
        name = admission.patient.name
        question = QLabel(
            self.tr("{name} leaves {chair}. The day stays in the record.").format(
                name=name, chair=chair
            )
        )
        question.setWordWrap(True)
        self.reason_field = QLineEdit()
        self.reason_field.setObjectName("dischargeReason")
        self.reason_field.setMinimumHeight(44)
        if complete:
            self.reason_field.setPlaceholderText(self.tr("Reason or note (optional)"))
        else:
            why = self.tr("The observation has not ended: say why {name} leaves now.")
            question.setText(f"{question.text()}\n{why.format(name=name)}")
            self.reason_field.setPlaceholderText(self.tr("Why the patient leaves before the end"))
        self.reason_error = error_label()
        self.general_error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Discharge"))
        for button in buttons.buttons():
            button.setMinimumHeight(44)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.reason_field)
        layout.addWidget(self.reason_error)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Discharge; on a problem, say it and store nothing."""
        self.reason_error.hide()
        self.general_error.hide()
        try:
            self.admission = self.ward.discharge(
                self.admission, by=self.nurse, reason=self.reason_field.text()
            )
        except EntryError as exc:
            self.reason_error.setText("; ".join(translated(p.message) for p in exc.problems))
            self.reason_error.show()
            return
        except AlemMonitorError as exc:
            self.general_error.setText(message_of(exc))
            self.general_error.show()
            return
        self.accept()
