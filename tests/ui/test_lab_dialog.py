"""Blood results entered from the day view through the real widgets on a real record: what the
nurse sees beside each field, what is stored, how the course's results read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton, QWidget
from pytestqt.qtbot import QtBot

from alemmonitor.alarm_rules import default_alarm_rules
from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind, TaskState
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_record import results_of_day, results_of_patient
from alemmonitor.patients import PatientDraft
from alemmonitor.ward import Admission, Ward
from alemmonitor.watch import AlarmWatch
from ui.day_view import DayView
from ui.lab_dialog import FLAGGED_COLOUR, LabEntryDialog, LabResultsDialog

NURSE = "AB"


@pytest.fixture
def day_3(ward: Ward, clock: ManualClock) -> Admission:
    """Course 1 day 3 of Anna: steroid, then alemtuzumab to its end."""
    bed = ward.ensure_beds(6, NURSE)[0]
    anna = ward.register_patient(
        PatientDraft("P-4711", "Anna Schmidt", date(1988, 4, 12), "female"), NURSE
    )
    admission = ward.admit(
        anna, course_number=1, day_number=3, bed=bed, planned_start=clock.now(), by=NURSE
    )
    ward.record(admission, EventKind.STEROID_STARTED, by=NURSE)
    clock.advance(timedelta(minutes=60))
    ward.record(admission, EventKind.INFUSION_STARTED, by=NURSE, batch="L-1", checked_by="KM")
    clock.advance(timedelta(minutes=240))
    ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(minutes=15))
    return admission


@pytest.fixture
def view(qtbot: QtBot, ward: Ward, day_3: Admission) -> DayView:
    shown = DayView(ward, AlarmWatch(ward, default_alarm_rules()))
    qtbot.addWidget(shown)
    shown.show_admission(day_3, NURSE)
    return shown


def seen(dialog: QWidget, widget: QWidget) -> bool:
    """Whether the nurse sees `widget` when the dialog is on the screen."""
    return widget.isVisibleTo(dialog)


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_in(qtbot: QtBot, dialog: LabEntryDialog, **texts: str) -> None:
    """Type into the fields, leaving each as the nurse does (which reads it)."""
    for name, text in texts.items():
        field = dialog.inputs[name]
        field.clear()
        qtbot.keyClicks(field, text)
        field.editingFinished.emit()


def open_results(qtbot: QtBot, view: DayView) -> LabResultsDialog:
    results = view.make_lab_results_dialog()
    qtbot.addWidget(results)
    return results


def open_entry(qtbot: QtBot, results: LabResultsDialog) -> LabEntryDialog:
    entry = results.make_entry_dialog()
    qtbot.addWidget(entry)
    return entry


def test_a_days_results_are_entered_and_read_against_what_the_study_expects(
    qtbot: QtBot, ward: Ward, clock: ManualClock, view: DayView, day_3: Admission
) -> None:
    assert view.labs_button.text() == "Blood results…"
    assert view.status is not None
    assert view.status.task("platelets").state is TaskState.DUE
    results = open_results(qtbot, view)
    assert results.details.text() == "No results yet for this course."
    entry = open_entry(qtbot, results)
    # After the infusion the sample is taken after alemtuzumab: that point is chosen already.
    assert entry.point_buttons[SamplingPoint.AFTER_ALEMTUZUMAB].isChecked()

    type_in(
        qtbot, entry, platelets="142000", lymphocytes="0,02", crp="64", alt="172", neutrophils="9,4"
    )

    # The platelet count typed per µL in the 10⁹/L field: refused beside it, the unit offered.
    assert seen(entry, entry.errors["platelets"])
    assert entry.errors["platelets"].text() == (
        "142000 10⁹/L is not possible for Platelets — /µL? That is 142 10⁹/L"
    )
    offer = entry.suggestion_buttons["platelets"]
    assert seen(entry, offer)
    assert offer.text() == "Use /µL (142 10⁹/L)"
    click(qtbot, entry.save_button)
    assert results_of_day(ward, day_3) == []
    assert entry.result() == 0

    click(qtbot, offer)

    assert entry.units["platelets"].currentText() == "/µL"
    assert not seen(entry, entry.errors["platelets"])
    assert entry.notes["platelets"].text() == "142000 /µL = 142 10⁹/L"
    # Each value read against the study: CRP at "septic" levels and lymphocytes near zero are
    # what the infusion week does; ALT at 4.9 times the upper limit goes beyond it.
    crp = entry.readings["crp"].text()
    assert crp.startswith("above the range · expected ↑ rises after the first infusion")
    assert "⚠" not in crp
    lymphocytes = entry.readings["lymphocytes"].text()
    assert "Lymphocyte count decreased, CTCAE v5.0 grade 4" in lymphocytes
    assert "the intended effect of alemtuzumab" in lymphocytes
    assert "⚠" not in lymphocytes
    alt = entry.readings["alt"].text()
    assert "⚠ 4.9 times the upper limit: beyond the study's peak (below 3 times)" in alt
    assert entry.readings["alt"].property("flagged") is True

    click(qtbot, entry.save_button)

    assert entry.result() == LabEntryDialog.DialogCode.Accepted
    stored = {r.analyte: r for r in results_of_day(ward, day_3)}
    assert set(stored) == {"neutrophils", "lymphocytes", "platelets", "crp", "alt"}
    assert stored["platelets"].typed == "142000 /µL"
    assert stored["platelets"].task == "platelets"

    # The course's results: the flagged one amber with its mark, the altered ones blue.
    results.reload()
    results.select("alt")
    cell = results.table.currentItem()
    assert cell.text() == "⚠ 172"
    assert cell.background().color() == QColor(FLAGGED_COLOUR)
    assert "4.9 times the upper limit" in results.details.text()
    assert "Beyond what the treatment explains: tell the physician." in results.details.text()
    results.select("crp")
    assert results.table.currentItem().text() == "64.0"
    assert results.table.currentItem().background().color() != QColor(FLAGGED_COLOUR)

    # The platelet count answered the day's platelet step.
    view.reload()
    assert view.status is not None
    step = view.status.task("platelets")
    assert (step.state, step.done_by) == (TaskState.DONE, NURSE)


def test_a_sample_the_nurse_dated_before_the_infusion_ended_is_confirmed_first(
    qtbot: QtBot, ward: Ward, clock: ManualClock, view: DayView, day_3: Admission
) -> None:
    entry = open_entry(qtbot, open_results(qtbot, view))
    local = clock.local(clock.now() - timedelta(hours=2))
    entry.time.edit.setTime(entry.time.edit.time().fromString(f"{local:%H:%M}", "HH:mm"))
    type_in(qtbot, entry, crp="12")

    click(qtbot, entry.save_button)

    assert entry.save_button.text() == "Confirm and save"
    assert seen(entry, entry.confirm_label)
    assert "the infusion had not ended then" in entry.confirm_label.text()
    assert results_of_day(ward, day_3) == []

    click(qtbot, entry.save_button)

    assert entry.result() == LabEntryDialog.DialogCode.Accepted
    [crp] = results_of_day(ward, day_3)
    assert crp.sampled_at == clock.now().replace(second=0, microsecond=0) - timedelta(hours=2)


def test_after_the_steroid_cannot_be_chosen_on_a_day_without_steroid(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    bed = ward.ensure_beds(6, NURSE)[0]
    ben = ward.register_patient(PatientDraft("P-2", "Ben Ott", date(1980, 1, 1), "male"), NURSE)
    day_4 = ward.admit(
        ben, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by=NURSE
    )
    entry = LabEntryDialog(ward, ben, NURSE, admission=day_4)
    qtbot.addWidget(entry)

    assert not entry.point_buttons[SamplingPoint.AFTER_STEROID].isEnabled()
    assert entry.point_buttons[SamplingPoint.BEFORE_STEROID].text() == "Before the infusion"
    assert entry.point_buttons[SamplingPoint.BEFORE_STEROID].isChecked()


def test_a_corrected_result_shows_its_new_value_and_that_it_was_corrected(
    qtbot: QtBot, ward: Ward, view: DayView, day_3: Admission
) -> None:
    results = open_results(qtbot, view)
    entry = open_entry(qtbot, results)
    type_in(qtbot, entry, alt="172")
    click(qtbot, entry.save_button)
    results.reload()
    results.select("alt")

    correction = results.make_correction_dialog()
    assert correction is not None
    qtbot.addWidget(correction)
    qtbot.keyClicks(correction.value, "72")
    correction.save()
    assert correction.error.text() == "say why the result is corrected"
    qtbot.keyClicks(correction.reason, "read off the AST line")
    correction.save()

    assert correction.result() == correction.DialogCode.Accepted
    results.reload()
    results.select("alt")
    assert results.table.currentItem().text() == "72"
    assert "entered by AB (corrected)" in results.details.text()
    [alt] = results_of_patient(ward, day_3.patient.id)
    assert (alt.value, alt.corrected) == (72.0, True)
