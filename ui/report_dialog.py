"""End of day: the PDF record of a patient's day, previewed page by page, saved where the nurse
chooses.

The PDF is made by the domain (`alemmonitor.report`) on a worker thread, in the window's
language, and shown from memory; saving writes that same PDF, whole or not at all.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QObject,
    QSignalBlocker,
    Signal,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import local_date
from alemmonitor.errors import AlemMonitorError
from alemmonitor.export import write_files_whole
from alemmonitor.report import ReportOptions, day_report, default_report_path
from alemmonitor.report_language import report_language
from alemmonitor.ward import Admission, Ward
from ui.i18n import language, message_of


class _Maker(QObject):
    """Makes a PDF on a worker thread and hands it to the GUI thread.

    Signals: `made(str, bytes)` (the day's id and its PDF), `failed(str, str)` (id, message).
    """

    made = Signal(str, bytes)
    failed = Signal(str, str)


class EndOfDayDialog(QDialog):
    """Pick a date and a patient, see the day's PDF, save it.

    Signals: `preview_ready()` once a PDF is shown. Lives on the GUI thread.
    """

    preview_ready = Signal()

    def __init__(self, ward: Ward, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ward = ward
        self.pdf: bytes | None = None
        self.saved_to: Path | None = None
        self._admissions: list[Admission] = []
        self._wanted: str | None = None
        self._maker = _Maker(self)
        self._maker.made.connect(self._on_made)
        self._maker.failed.connect(self._on_failed)
        self.setWindowTitle(self.tr("End of day"))
        self.resize(900, 760)

        today = local_date(ward.clock, ward.clock.now())
        self.date_field = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_field.setCalendarPopup(True)
        self.date_field.setDisplayFormat("yyyy-MM-dd")
        self.date_field.dateChanged.connect(self.reload)
        self.patient_field = QComboBox()
        self.patient_field.setObjectName("reportPatient")
        self.patient_field.currentIndexChanged.connect(self._on_patient)
        choice = QHBoxLayout()
        choice.addWidget(QLabel(self.tr("Date:")))
        choice.addWidget(self.date_field)
        choice.addWidget(QLabel(self.tr("Patient:")))
        choice.addWidget(self.patient_field, 1)

        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_and_save)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.reload()

    @property
    def day(self) -> date:
        """The date chosen."""
        chosen = self.date_field.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def reload(self) -> None:
        """List the chosen date's patients and preview the first."""
        self._admissions = self.ward.admissions_on(self.day)
        with QSignalBlocker(self.patient_field):
            self.patient_field.clear()
            for admission in self._admissions:
                patient = admission.patient
                self.patient_field.addItem(f"{patient.name} ({patient.hospital_id})")
        if not self._admissions:
            self._show_nothing(self.tr("No infusion day on {date}.").format(date=self.day))
            return
        self._on_patient(0)

    def _on_patient(self, index: int) -> None:
        if not 0 <= index < len(self._admissions):
            return
        admission = self._admissions[index]
        self._wanted = admission.id
        self.pdf = None
        self.save_button.setEnabled(False)
        self.status.setText(
            self.tr("Making the PDF of {name}…").format(name=admission.patient.name)
        )
        options = ReportOptions(language=report_language(language()))
        maker = self._maker

        def make() -> None:
            try:
                pdf = day_report(self.ward, admission, options)
            except AlemMonitorError as exc:
                maker.failed.emit(admission.id, message_of(exc))
                return
            maker.made.emit(admission.id, pdf)

        threading.Thread(target=make, name="end-of-day PDF", daemon=True).start()

    def _on_made(self, day_id: str, pdf: bytes) -> None:
        if day_id != self._wanted:
            return  # the nurse has chosen another patient meanwhile
        self.pdf = pdf
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.status.setText(
            self.tr("{pages} pages; check them, then save.").format(pages=self.document.pageCount())
        )
        self.save_button.setEnabled(True)
        self.preview_ready.emit()

    def _on_failed(self, day_id: str, message: str) -> None:
        if day_id == self._wanted:
            self._show_nothing(self.tr("The PDF cannot be made: {reason}").format(reason=message))

    def _show_nothing(self, text: str) -> None:
        self.pdf = None
        self.document.close()
        self.save_button.setEnabled(False)
        self.status.setText(text)

    def admission(self) -> Admission | None:
        """The patient's day being previewed."""
        index = self.patient_field.currentIndex()
        return self._admissions[index] if 0 <= index < len(self._admissions) else None

    def choose_and_save(self) -> None:
        """Ask where to save the previewed PDF, then save it there."""
        admission = self.admission()
        if self.pdf is None or admission is None:
            return
        suggested = default_report_path(self.day, admission.patient.hospital_id)
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the PDF"), str(suggested), self.tr("PDF files (*.pdf)")
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the previewed PDF to `path`, whole or not at all; says how it went."""
        if self.pdf is None:
            return False
        try:
            write_files_whole({path: self.pdf})
        except AlemMonitorError as exc:
            self.status.setText(self.tr("Not saved: {reason}").format(reason=message_of(exc)))
            return False
        self.saved_to = path
        self.status.setText(self.tr("Saved to {path}").format(path=path))
        return True
