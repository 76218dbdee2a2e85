"""End of day in the window: the day's PDF previewed from the record and saved where chosen."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock
from alemmonitor.patients import PatientDraft
from alemmonitor.report_demo import live_day
from alemmonitor.ward import Ward
from ui.main_window import MainWindow
from ui.report_dialog import EndOfDayDialog


def lived(ward: Ward, clock: ManualClock) -> None:
    clock.set(datetime(2026, 11, 23, 7, 30, tzinfo=clock.now().tzinfo))
    beds = ward.ensure_beds(6, "AB")
    for bed, hospital_id, name in (
        (beds[0], "D-1004", "Dieter Weber"),
        (beds[1], "E-2002", "Erika Zimmermann"),
    ):
        patient = ward.register_patient(
            PatientDraft(hospital_id, name, date(1975, 6, 21), "male", 91.0), "AB"
        )
        live_day(ward, clock, patient, bed, every_s=120, hours=3)


def test_end_of_day_previews_the_patients_pdf_and_saves_it(
    qtbot: QtBot, ward: Ward, clock: ManualClock, tmp_path: Path
) -> None:
    lived(ward, clock)
    window = MainWindow(ward, nurse="AB")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.report_action.triggered, timeout=1000):
        window.report_action.trigger()
    dialog = window.findChild(EndOfDayDialog)
    assert isinstance(dialog, EndOfDayDialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.patient_field.count() == 2
    assert dialog.document.pageCount() >= 2
    assert dialog.save_button.isEnabled()

    with qtbot.waitSignal(dialog.preview_ready, timeout=20000):
        dialog.patient_field.setCurrentIndex(1)
    out = tmp_path / "erika.pdf"
    assert dialog.save_to(out)
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Erika Zimmermann" in text
    assert "Dieter" not in text
    assert str(out) in dialog.status.text()


def test_a_date_without_days_offers_nothing_to_save(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    dialog = EndOfDayDialog(ward)
    qtbot.addWidget(dialog)
    assert dialog.patient_field.count() == 0
    assert not dialog.save_button.isEnabled()
    assert "No infusion day on 2026-11-23" in dialog.status.text()


def test_saving_where_it_cannot_be_written_says_so_and_leaves_nothing(
    qtbot: QtBot, ward: Ward, clock: ManualClock, tmp_path: Path
) -> None:
    lived(ward, clock)
    dialog = EndOfDayDialog(ward)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert not dialog.save_to(tmp_path / "missing" / "r.pdf")
    assert "Not saved" in dialog.status.text()
    assert not (tmp_path / "missing").exists()
    assert dialog.saved_to is None
