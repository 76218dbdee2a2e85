"""The unit's follow-up list driven through its real widgets on a real record: what is due per
patient, results against their slot, tests not done here, a course ended early."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock
from alemmonitor.followup import current_plan, plans_of
from alemmonitor.labs_record import results_of_patient
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.ward import Ward
from tests.infusions import give_course
from ui.followup_view import FollowUpDialog
from ui.lab_dialog import LabEntryDialog
from ui.main_window import MainWindow

NURSE = "AB"
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> ManualClock:
    """Early on the first day of the course, 5 January 2026."""
    return ManualClock(datetime(2026, 1, 5, 7, 0, tzinfo=BERLIN), BERLIN)


def on(clock: ManualClock, day: date) -> None:
    clock.set(datetime(day.year, day.month, day.day, 7, 0, tzinfo=BERLIN))


def register(ward: Ward, hospital_id: str, name: str) -> Patient:
    return ward.register_patient(PatientDraft(hospital_id, name, date(1985, 1, 1), "female"), NURSE)


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(dialog: FollowUpDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(dialog.table.columnCount())]


def open_list(qtbot: QtBot, ward: Ward) -> FollowUpDialog:
    dialog = FollowUpDialog(ward, NURSE)
    qtbot.addWidget(dialog)
    return dialog


def test_the_follow_up_list_takes_a_blood_count_against_its_slot(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=5)  # 5-9 January: the plan is laid out
    on(clock, date(2026, 1, 21))
    dialog = open_list(qtbot, ward)

    assert dialog.summary.text() == "Today 21.01.2026: 0 overdue · 1 due · 0 due soon"
    assert cells(dialog, 0) == [
        "20.01.2026",
        "Anna Lange · P-1",
        "1",
        "blood count with differential",
        "due",
        "",
    ]
    assert not dialog.enter_button.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.enter_button.isEnabled()
    entry = dialog.make_entry_dialog()
    assert entry is not None
    qtbot.addWidget(entry)
    # Only the blood count's analytes are asked for.
    assert set(entry.inputs) == {
        "leukocytes", "neutrophils", "lymphocytes", "monocytes", "eosinophils", "basophils",
        "platelets", "haemoglobin",
    }  # fmt: skip
    for name, text in {"leukocytes": "4,9", "lymphocytes": "0,6", "platelets": "201"}.items():
        qtbot.keyClicks(entry.inputs[name], text)

    click(qtbot, entry.save_button)

    # The slot needs neutrophils and haemoglobin: said beside them, nothing stored.
    assert entry.errors["neutrophils"].isVisibleTo(entry)
    assert entry.errors["neutrophils"].text() == (
        "needed for the blood count with differential due 20.01.2026"
    )
    assert results_of_patient(ward, anna.id) == []

    qtbot.keyClicks(entry.inputs["neutrophils"], "2,1")
    qtbot.keyClicks(entry.inputs["haemoglobin"], "12,9")
    click(qtbot, entry.save_button)

    assert entry.result() == LabEntryDialog.DialogCode.Accepted
    assert {r.slot for r in results_of_patient(ward, anna.id)} == {"blood_count:2026-01-20"}
    dialog.reload()
    assert dialog.table.rowCount() == 0
    assert dialog.summary.text() == "Today 21.01.2026: no follow-up test is due."


def test_a_severe_neutropenia_shows_the_guidance_and_is_saved_only_once_confirmed(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 3, 11))  # day 65, as in the case report
    dialog = open_list(qtbot, ward)
    dialog.select_patient("Anna Lange", date(2026, 3, 6))
    entry = dialog.make_entry_dialog()
    assert entry is not None
    qtbot.addWidget(entry)
    entry.units["neutrophils"].setCurrentIndex(entry.units["neutrophils"].findData("/uL"))
    values = {"leukocytes": "2,0", "neutrophils": "899", "lymphocytes": "0,3", "platelets": "245",
              "haemoglobin": "13,0"}  # fmt: skip
    for name, text in values.items():
        qtbot.keyClicks(entry.inputs[name], text)

    click(qtbot, entry.save_button)

    assert entry.advice_label.isVisibleTo(entry)
    assert "large granular lymphocytes" in entry.advice_label.text()
    assert entry.save_button.text() == "Confirm and save"
    assert "Neutrophil count decreased, CTCAE v5.0 grade 3" in entry.confirm_label.text()
    assert results_of_patient(ward, anna.id) == []

    click(qtbot, entry.save_button)

    assert entry.result() == LabEntryDialog.DialogCode.Accepted
    [neutrophils] = [r for r in results_of_patient(ward, anna.id) if r.analyte == "neutrophils"]
    assert neutrophils.grade is not None
    assert (neutrophils.value, neutrophils.grade.grade) == (0.899, 3)
    assert "large granular lymphocytes" in (neutrophils.advice or "")


def test_tests_not_done_here_leave_the_list_with_their_reason(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 2, 10))
    dialog = open_list(qtbot, ward)
    dialog.select_patient("Anna Lange", date(2026, 2, 9))
    assert cells(dialog, dialog.table.currentRow())[3] == (
        "serum creatinine, urinalysis with microscopy"
    )

    skip = dialog.make_skip_dialog()
    assert skip is not None
    qtbot.addWidget(skip)
    skip.save()
    assert skip.error.text() == "say why the test is not done here"
    qtbot.keyClicks(skip.reason, "done by the GP, letter to follow")
    skip.save()

    assert skip.result() == skip.DialogCode.Accepted
    dialog.reload()
    assert [cells(dialog, row)[0] for row in range(dialog.table.rowCount())] == ["04.02.2026"]
    dialog.select_patient("Anna Lange")
    plan_view = dialog.make_plan_dialog()
    assert plan_view is not None
    qtbot.addWidget(plan_view)
    rows = {
        plan_view.table.item(row, 1).text(): plan_view.table.item(row, 3).text()
        for row in range(plan_view.table.rowCount())
        if plan_view.table.item(row, 0).text() == "09.02.2026"
    }
    assert rows == {
        "serum creatinine": "not done here: done by the GP, letter to follow",
        "urinalysis with microscopy": "not done here: done by the GP, letter to follow",
    }


def test_a_course_ended_early_gets_its_plan_from_the_list(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=3)
    dialog = open_list(qtbot, ward)
    assert [dialog.courses_table.item(0, c).text() for c in range(4)] == [
        "Anna Lange · P-1", "1", "3 of 5", "07.01.2026",
    ]  # fmt: skip
    dialog.courses_table.selectRow(0)
    assert dialog.end_early_button.text() == "End course early…"

    ending = dialog.make_end_early_dialog()
    assert ending is not None
    qtbot.addWidget(ending)
    ending.save()
    assert ending.error.text() == "say why the course ends early"
    qtbot.keyClicks(ending.reason, "pregnancy planned, no further infusions")
    ending.save()

    assert ending.result() == ending.DialogCode.Accepted
    plan = current_plan(ward, anna.id)
    assert plan is not None
    assert (plan.ended_early, plan.last_infusion) == (True, date(2026, 1, 7))
    dialog.reload()
    assert dialog.courses_table.rowCount() == 0
    assert len(plans_of(ward, anna.id)) == 1


def test_the_follow_up_list_is_on_the_ward_toolbar(qtbot: QtBot, ward: Ward) -> None:
    window = MainWindow(ward, "")
    qtbot.addWidget(window)

    assert window.followup_action.text() == "Follow-up…"
    assert window.followup_action.shortcut().toString() == "Ctrl+L"
    # Without the nurse's initials nothing opens: results would carry nobody's name.
    assert window.open_followup() is None
    assert window.statusBar().currentMessage() == "Enter your initials as the nurse on duty first."


def test_a_missed_tests_late_result_is_entered_from_the_list_and_shows_done_late(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 2, 25))  # the counts of 20 January and 4 February were missed
    dialog = open_list(qtbot, ward)
    assert "20.01.2026" not in [cells(dialog, row)[0] for row in range(dialog.table.rowCount())]
    dialog.show()
    qtbot.waitExposed(dialog)

    click(qtbot, dialog.show_missed)

    assert dialog.show_missed.isChecked()
    rows = [cells(dialog, row) for row in range(dialog.table.rowCount())]
    assert ["20.01.2026", "Anna Lange · P-1", "1", "blood count with differential", "missed",
            "2"] in rows  # fmt: skip
    dialog.select_patient("Anna Lange", date(2026, 1, 20))
    assert dialog.enter_button.isEnabled()
    entry = dialog.make_entry_dialog()
    assert entry is not None
    qtbot.addWidget(entry)
    for name, text in {"leukocytes": "5,0", "neutrophils": "2,8", "lymphocytes": "0,5",
                       "platelets": "210", "haemoglobin": "13,2"}.items():  # fmt: skip
        qtbot.keyClicks(entry.inputs[name], text)
    click(qtbot, entry.save_button)

    assert entry.result() == LabEntryDialog.DialogCode.Accepted
    assert {r.slot for r in results_of_patient(ward, anna.id)} == {"blood_count:2026-01-20"}
    dialog.reload()
    shown = [cells(dialog, row)[0] for row in range(dialog.table.rowCount())]
    assert "20.01.2026" not in shown
    assert "04.02.2026" in shown  # still missed, still shown
    dialog.select_patient("Anna Lange", date(2026, 2, 4))
    plan_view = dialog.make_plan_dialog()
    assert plan_view is not None
    qtbot.addWidget(plan_view)
    states = {
        plan_view.table.item(row, 0).text(): plan_view.table.item(row, 2).text()
        for row in range(plan_view.table.rowCount())
        if plan_view.table.item(row, 1).text() == "blood count with differential"
    }
    assert (states["20.01.2026"], states["04.02.2026"]) == ("done (late)", "missed")


def test_the_follow_up_list_previews_the_patients_follow_up_pdf_and_saves_it(
    qtbot: QtBot, ward: Ward, clock: ManualClock, tmp_path: Path
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 1, 21))
    dialog = open_list(qtbot, ward)
    assert not dialog.pdf_button.isEnabled()
    dialog.select_patient("Anna Lange")
    assert dialog.pdf_button.isEnabled()

    preview = dialog.make_report_dialog()
    assert preview is not None
    qtbot.addWidget(preview)
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=20000)

    assert preview.document.pageCount() >= 1
    assert preview.save_button.isEnabled()
    out = tmp_path / "anna-follow-up.pdf"
    assert preview.save_to(out)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
    assert "Follow-up after alemtuzumab" in text
    assert "Anna Lange" in text
    assert "20.01.2026 blood count with differential due" in text
    assert str(out) in preview.status.text()


def test_a_patient_with_nothing_open_is_found_by_name_for_their_plan_and_pdf(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    register(ward, "P-2", "Ben Okafor")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 1, 11))  # the first count, on 20 January, is not yet due soon
    dialog = open_list(qtbot, ward)
    assert dialog.table.rowCount() == 0
    assert not dialog.pdf_button.isEnabled()
    summary = dialog.summary.text()

    qtbot.keyClicks(dialog.find_patient, "lange")

    assert [cells(dialog, row) for row in range(dialog.table.rowCount())] == [
        ["20.01.2026", "Anna Lange · P-1", "1", "blood count with differential", "upcoming", ""]
    ]
    assert dialog.summary.text() == summary  # still the unit's day: nothing due
    dialog.select_patient("Anna Lange")
    assert dialog.plan_button.isEnabled()
    assert dialog.pdf_button.isEnabled()
    preview = dialog.make_report_dialog()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.patient.id == anna.id

    dialog.find_patient.clear()
    assert dialog.table.rowCount() == 0
    qtbot.keyClicks(dialog.find_patient, "P-2")  # Ben has no plan: nothing to show
    assert dialog.table.rowCount() == 0


def test_the_days_summary_stays_the_units_while_a_patient_is_looked_up(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    anna = register(ward, "P-1", "Anna Lange")
    register(ward, "P-2", "Ben Okafor")
    give_course(ward, clock, anna, days=5)
    on(clock, date(2026, 1, 21))  # Anna's first count is due
    dialog = open_list(qtbot, ward)
    assert dialog.summary.text() == "Today 21.01.2026: 0 overdue · 1 due · 0 due soon"

    qtbot.keyClicks(dialog.find_patient, "Ben")

    assert dialog.table.rowCount() == 0
    assert dialog.summary.text() == "Today 21.01.2026: 0 overdue · 1 due · 0 due soon"
