"""The first window, driven through its real widgets: register a patient, start a day, watch it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind
from alemmonitor.patients import PatientDraft
from alemmonitor.preferences import Preferences, load_preferences, save_preferences
from alemmonitor.ward import Admission, Bed, Ward
from ui.app import style_sheet
from ui.dialogs import RegisterPatientDialog, StartDayDialog
from ui.main_window import MainWindow


def _press(qtbot: QtBot, dialog: RegisterPatientDialog | StartDayDialog) -> None:
    box = dialog.findChild(QDialogButtonBox)
    button = box.buttons()[0]
    assert box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type(qtbot: QtBot, dialog: RegisterPatientDialog, values: dict[str, str]) -> None:
    for key, text in values.items():
        field = dialog.inputs[key]
        if isinstance(field, QLineEdit):
            field.clear()
            qtbot.keyClicks(field, text)
        else:
            field.setCurrentText(text)


def test_a_wrong_entry_is_refused_beside_its_field_and_nothing_is_stored(
    qtbot: QtBot, ward: Ward
) -> None:
    dialog = RegisterPatientDialog(ward, "AB")
    qtbot.addWidget(dialog)
    _type(
        qtbot,
        dialog,
        {"patient_id": "123", "name": "Anna Schmidt", "dob": "1985-13-04", "weight_kg": "640"},
    )
    _press(qtbot, dialog)

    assert dialog.errors["dob"].isVisibleTo(dialog)
    assert "not a date" in dialog.errors["dob"].text()
    assert "20-300 kg" in dialog.errors["weight_kg"].text()
    assert not dialog.errors["name"].isVisibleTo(dialog)
    assert dialog.result() == 0
    assert ward.patients() == []


def test_registering_and_starting_a_day_puts_the_patient_on_the_chair(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    ward.ensure_beds(6, "AB")
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)
    assert [card.patient_label.text() for card in window.ward_view.cards.values()] == ["Free"] * 6

    register = RegisterPatientDialog(ward, window.nurse, window)
    qtbot.addWidget(register)
    _type(
        qtbot,
        register,
        {
            "patient_id": "123",
            "name": "Anna Schmidt",
            "dob": "1985-03-04",
            "sex": "female",
            "weight_kg": "64,5",
        },
    )
    _press(qtbot, register)
    assert register.result() == register.DialogCode.Accepted
    stored = ward.patient("123")
    assert stored is not None
    assert (stored.name, stored.weight_kg, stored.sex) == ("Anna Schmidt", 64.5, "female")

    chair_2 = ward.beds()[1]
    start = StartDayDialog(ward, window.nurse, window.free_beds(), chair_2, window)
    qtbot.addWidget(start)
    qtbot.keyClicks(start.search, "schmi")
    assert start.patient_list.count() == 1
    start.course.setValue(1)
    start.day.setValue(3)
    _press(qtbot, start)
    assert start.result() == start.DialogCode.Accepted
    window.reload()

    card = window.ward_view.cards[chair_2.id]
    assert card.patient_label.text() == "Anna Schmidt  ·  123"
    assert card.course_label.text() == "Course 1 · Day 3/5"
    assert card.step_label.text() == "Before the infusion"
    # Premedication is planned 90 minutes before the infusion, which follows the steroid by an
    # hour: at the planned start the first premedication is due now.
    assert card.next_label.text() == "Next: acyclovir 200 mg oral"
    assert card.countdown_label.text() == "now"
    assert card.property("state") == "due"
    assert "Chair 2 · Anna Schmidt · acyclovir 200 mg oral · now" in window.next_label.text()

    clock.advance(timedelta(minutes=20))
    window.tick()
    assert card.countdown_label.text() == "20 min overdue"
    assert card.property("state") == "overdue"


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(6, "AB")


def test_a_card_turning_overdue_shows_its_countdown_in_the_overdue_colour(
    qtbot: QtBot, ward: Ward, clock: ManualClock, anna_day: Admission
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    app.setStyleSheet(style_sheet(night=False))
    try:
        window = MainWindow(ward, "AB")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        card = window.ward_view.cards[anna_day.bed_id or ""]
        assert card.property("state") == "due"
        due_colour = card.countdown_label.palette().color(QPalette.ColorRole.WindowText).name()

        clock.advance(timedelta(minutes=20))
        window.tick()

        assert card.property("state") == "overdue"
        colour = card.countdown_label.palette().color(QPalette.ColorRole.WindowText).name()
        assert (due_colour, colour) == ("#1f4fbf", "#9a3412")
    finally:
        app.setStyleSheet(before)


def test_the_card_follows_the_infusion(qtbot: QtBot, ward: Ward, clock: ManualClock) -> None:
    bed = ward.ensure_beds(6, "AB")[0]
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)
    patient = ward.register_patient(PatientDraft("9", "Ben Müller", date(1980, 9, 30)), "AB")
    admission = ward.admit(
        patient, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by="AB"
    )
    ward.record(admission, EventKind.INFUSION_STARTED, by="AB", batch="L1", checked_by="CD")
    clock.advance(timedelta(hours=1))
    window.reload()
    card = window.ward_view.cards[bed.id]
    assert card.step_label.text() == "Alemtuzumab running"
    assert card.progress.text() == "25 of 100 mL"
    assert card.progress_label.text() == "Ran 1 h, 3 h to go at 25 mL/h"


def test_night_colours_switch_the_whole_ward_and_are_kept(
    qtbot: QtBot, ward: Ward, tmp_path: Path
) -> None:
    ward.ensure_beds(6, "AB")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    preferences = tmp_path / "preferences.json"
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)

    def keep(night: bool) -> None:
        app.setStyleSheet(style_sheet(night=night))
        save_preferences(Preferences(night=night), preferences)

    window.night_changed.connect(keep)
    try:
        with qtbot.waitSignal(window.night_changed):
            window.night_action.trigger()
        assert "#111827" in app.styleSheet()
        assert load_preferences(preferences).night
        # The plots follow when the day view is built later, the names of their lines too.
        trends = window.day_view.trends
        assert trends.graphics.backgroundBrush().color().name() == "#111827"
        names = [label.item.toHtml() for _, label in trends.legend.items]
        assert names
        assert all("color:#d1d5db" in name for name in names)
        window.night_action.trigger()
        names = [label.item.toHtml() for _, label in trends.legend.items]
        assert all("color:#374151" in name for name in names)
        assert "#111827" not in app.styleSheet()
        assert not load_preferences(preferences).night
    finally:
        app.setStyleSheet(before)


def test_a_card_is_coloured_by_its_state_when_first_shown_and_when_it_changes(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    bed = ward.ensure_beds(6, "AB")[0]
    patient = ward.register_patient(PatientDraft("9", "Ben Müller", date(1980, 9, 30)), "AB")
    ward.admit(patient, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by="AB")
    clock.advance(timedelta(minutes=20))  # the premedication is overdue
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet()
    app.setStyleSheet(style_sheet())
    try:
        window = MainWindow(ward, "AB")
        qtbot.addWidget(window)
        window.resize(1366, 768)
        with qtbot.waitExposed(window):
            window.show()
        card = window.ward_view.cards[bed.id]

        def background() -> str:
            inside = card.grab().toImage()  # a point inside the 4 px border, beside the text
            return inside.pixelColor(inside.width() - 8, inside.height() // 2).name()

        assert card.property("state") == "overdue"
        assert background() == "#fff6e5"

        ward.discharge(ward.admissions_on(clock.now().date())[0], by="AB", reason="unwell")
        window.reload()
        assert card.property("state") == "free"
        assert background() == "#f3f4f6"
    finally:
        app.setStyleSheet(before)


def test_the_window_stops_ticking_once_the_record_is_closed(qtbot: QtBot, ward: Ward) -> None:
    ward.ensure_beds(6, "AB")
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)
    assert window.timer.isActive()

    ward.store.close()
    window.tick()

    assert not window.timer.isActive()
