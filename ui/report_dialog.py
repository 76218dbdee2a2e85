"""The printed reports in the window: a PDF previewed page by page, saved where the nurse chooses.

End of day previews a patient's infusion day; the follow-up list previews a patient's follow-up.
The PDF is made by the domain (`alemmonitor.report`) on a worker thread, in the window's
language, and shown from memory; saving writes that same PDF, whole or not at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
from alemmonitor.patients import Patient
from alemmonitor.report import (
    ReportOptions,
    day_report,
    default_followup_path,
    default_report_path,
    followup_report,
)
from alemmonitor.report_language import report_language
from alemmonitor.ward import Admission, Ward
from ui.i18n import language, message_of


class _Maker(QObject):
    """Makes a PDF on a worker thread and hands it to the GUI thread.

    Signals: `made(str, bytes)` (the PDF's key and the PDF), `failed(str, str)` (key, message).
    """

    made = Signal(str, bytes)
    failed = Signal(str, str)


class PdfPreviewDialog(QDialog):
    """A report's PDF made in the background, shown page by page, saved where the nurse chooses.

    Subclasses add what the nurse chooses and call `make`. Signals: `preview_ready()` once a
    PDF is shown. Lives on the GUI thread.
    """

    preview_ready = Signal()

    def __init__(self, ward: Ward, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ward = ward
        self.pdf: bytes | None = None
        self.saved_to: Path | None = None
        self._wanted: str | None = None
        self._maker = _Maker(self)
        self._maker.made.connect(self._on_made)
        self._maker.failed.connect(self._on_failed)
        self.resize(900, 760)
        self.status = QLabel()
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton(self.tr("Save PDF…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.choose_and_save)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

    def make(self, key: str, what: str, report: Callable[[ReportOptions], bytes]) -> None:
        """Make the PDF named `key` ("Making the PDF of `what`…") on a worker thread."""
        self._wanted = key
        self.pdf = None
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Making the PDF of {name}…").format(name=what))
        options = ReportOptions(language=report_language(language()))
        maker = self._maker

        def run() -> None:
            try:
                pdf = report(options)
            except AlemMonitorError as exc:
                maker.failed.emit(key, message_of(exc))
                return
            maker.made.emit(key, pdf)

        threading.Thread(target=run, name="report PDF", daemon=True).start()

    def _on_made(self, key: str, pdf: bytes) -> None:
        if key != self._wanted:
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

    def _on_failed(self, key: str, message: str) -> None:
        if key == self._wanted:
            self._show_nothing(self.tr("The PDF cannot be made: {reason}").format(reason=message))

    def _show_nothing(self, text: str) -> None:
        self.pdf = None
        self.document.close()
        self.save_button.setEnabled(False)
        self.status.setText(text)

    def suggested_path(self) -> Path | None:
        """Where the previewed PDF is offered to go (None: nothing to save)."""
        raise NotImplementedError

    def choose_and_save(self) -> None:
        """Ask where to save the previewed PDF, then save it there."""
        suggested = self.suggested_path()
        if self.pdf is None or suggested is None:
            return
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


class EndOfDayDialog(PdfPreviewDialog):
    """Pick a date and a patient, see the day's PDF, save it.

    Signals: `preview_ready()` once a PDF is shown. Lives on the GUI thread.
    """

    def __init__(self, ward: Ward, parent: QWidget | None = None) -> None:
        super().__init__(ward, parent)
        self._admissions: list[Admission] = []
        self.setWindowTitle(self.tr("End of day"))

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

        layout = QVBoxLayout(self)
        layout.addLayout(choice)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
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
        self.make(
            admission.id,
            admission.patient.name,
            lambda options: day_report(self.ward, admission, options),
        )

    def admission(self) -> Admission | None:
        """The patient's day being previewed."""
        index = self.patient_field.currentIndex()
        return self._admissions[index] if 0 <= index < len(self._admissions) else None

    def suggested_path(self) -> Path | None:
        """'report-DATE-ID.pdf' of the day previewed."""
        admission = self.admission()
        if admission is None:
            return None
        return default_report_path(self.day, admission.patient.hospital_id)


class FollowUpReportDialog(PdfPreviewDialog):
    """One patient's follow-up PDF, as the record stands today: see it, save it.

    Signals: `preview_ready()` once the PDF is shown. Lives on the GUI thread.
    """

    def __init__(self, ward: Ward, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(ward, parent)
        self.patient = patient
        self.setWindowTitle(self.tr("Follow-up PDF · {name}").format(name=patient.name))
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        self.make(
            patient.id,
            patient.name,
            lambda options: followup_report(self.ward, patient.hospital_id, options),
        )

    def suggested_path(self) -> Path | None:
        """'followup-DATE-ID.pdf' of today."""
        today = local_date(self.ward.clock, self.ward.clock.now())
        return default_followup_path(today, self.patient.hospital_id)
