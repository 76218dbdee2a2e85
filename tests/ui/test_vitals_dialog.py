"""The vitals dialog driven through its real widgets on a real record: what the nurse sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QDateTimeEdit, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from alemmonitor.acquisition import Link, Recorder
from alemmonitor.clock import ManualClock, from_iso
from alemmonitor.infusion_day import TaskState
from alemmonitor.monitoring import WardMonitors
from alemmonitor.patients import PatientDraft
from alemmonitor.store import Row
from alemmonitor.ward import Admission, Ward
from devices.readings import Parameter, Reading
from devices.session import ReadingBatch
from ui.vitals_dialog import VitalsDialog

NURSE = "AB"


@pytest.fixture
def admission(ward: Ward, clock: ManualClock) -> Admission:
    bed = ward.ensure_beds(6, NURSE)[1]
    patient = ward.register_patient(
        PatientDraft("P-1001", "Anna Müller", date(1985, 3, 4), "female", 64.0), NURSE
    )
    return ward.admit(
        patient, course_number=1, day_number=2, bed=bed, planned_start=clock.now(), by=NURSE
    )


def open_dialog(qtbot: QtBot, ward: Ward, admission: Admission, nurse: str = NURSE) -> VitalsDialog:
    dialog = VitalsDialog(
        ward, admission, nurse, WardMonitors(ward).latest(admission.bed_id or "", admission.id)
    )
    qtbot.addWidget(dialog)
    return dialog


def seen(dialog: VitalsDialog, widget: QWidget) -> bool:
    """Whether the nurse sees `widget` when the dialog is on the screen."""
    return widget.isVisibleTo(dialog)


def type_in(qtbot: QtBot, dialog: VitalsDialog, **texts: str) -> None:
    for name, text in texts.items():
        field = dialog.inputs[name]
        field.clear()
        qtbot.keyClicks(field, text)


def click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def charted(ward: Ward) -> list[Row]:
    return ward.store.query(
        "SELECT * FROM current_observations WHERE source = 'manual' ORDER BY parameter"
    )


def vitals_events(ward: Ward) -> list[Row]:
    return ward.store.query("SELECT * FROM current_events WHERE kind = 'vitals_taken'")


def test_an_impossible_value_is_refused_beside_its_field_and_nothing_is_stored(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="720", sbp="120", dbp="80", temp="36,8", spo2="101")
    click(qtbot, dialog.save_button)

    assert seen(dialog, dialog.errors["hr"])
    assert dialog.errors["hr"].text() == "720 /min is not possible — typed twice?"
    assert dialog.errors["spo2"].text() == "101 % is not possible: SpO2 cannot be over 100 %"
    assert not seen(dialog, dialog.errors["temp"])
    assert dialog.save_button.text() == "Save"
    assert dialog.result() == 0
    assert charted(ward) == []
    assert vitals_events(ward) == []

    # Correcting the field takes its refusal away at once.
    type_in(qtbot, dialog, hr="72")
    assert not seen(dialog, dialog.errors["hr"])


def test_a_set_with_the_systolic_below_the_diastolic_is_refused_on_the_systolic(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="72", sbp="80", dbp="120", temp="36,8")
    click(qtbot, dialog.save_button)
    assert dialog.errors["sbp"].text() == "systolic 80 is not above diastolic 120 — swapped?"
    assert charted(ward) == []


def test_unusual_values_are_stored_only_after_the_visible_confirmation(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="38", sbp="128", dbp="82", temp="39,2", spo2="97", rr="14")
    click(qtbot, dialog.save_button)

    assert dialog.save_button.text() == "Confirm unusual values"
    assert seen(dialog, dialog.confirm_label)
    assert "Heart rate: 38 /min is unusual: below 40 /min" in dialog.confirm_label.text()
    assert "Temperature: 39.2 °C is unusual: 39 °C or more" in dialog.confirm_label.text()
    assert dialog.notes["hr"].text() == "38 /min is unusual: below 40 /min"
    assert charted(ward) == []

    click(qtbot, dialog.save_button)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert [(r["parameter"], r["value"], r["unit"]) for r in charted(ward)] == [
        ("dbp", 82.0, "mmHg"),
        ("hr", 38.0, "/min"),
        ("o2_flow", 0.0, "L/min"),
        ("rr", 14.0, "/min"),
        ("sbp", 128.0, "mmHg"),
        ("spo2", 97.0, "%"),
        ("temp", 39.2, "Cel"),
    ]
    assert {from_iso(r["measured_at"]) for r in charted(ward)} == {clock.now()}
    assert {r["entered_by"] for r in charted(ward)} == {NURSE}
    assert dialog.saved_values["hr"] == 38.0
    assert dialog.measured_at == clock.now()
    [event] = vitals_events(ward)
    assert {r["set_id"] for r in charted(ward)} == {event["root_id"]}
    status = ward.infusion_day(admission).status(clock.now())
    assert status.task("vitals-before").state is TaskState.DONE


def test_a_value_changed_after_the_confirm_step_is_asked_about_again(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="38", sbp="128", dbp="82", temp="36,8")
    click(qtbot, dialog.save_button)
    assert dialog.save_button.text() == "Confirm unusual values"

    type_in(qtbot, dialog, hr="36")
    assert dialog.save_button.text() == "Save"
    assert not seen(dialog, dialog.confirm_label)
    click(qtbot, dialog.save_button)

    assert "36 /min is unusual" in dialog.confirm_label.text()
    assert charted(ward) == []


def test_enter_moves_to_the_next_empty_field_saves_at_the_end_and_never_confirms(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    assert dialog.focusWidget() is dialog.inputs["hr"]
    for name, text in (("hr", "38"), ("sbp", "128"), ("dbp", "82"), ("temp", "36,8")):
        focused = dialog.focusWidget()
        assert isinstance(focused, QLineEdit)
        assert focused is dialog.inputs[name]
        qtbot.keyClicks(focused, text)
        qtbot.keyClick(focused, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.inputs["spo2"]
    qtbot.keyClick(dialog.inputs["spo2"], Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.inputs["rr"]
    qtbot.keyClick(dialog.inputs["rr"], Qt.Key.Key_Return)

    assert dialog.save_button.text() == "Confirm unusual values"
    qtbot.keyClick(dialog.inputs["rr"], Qt.Key.Key_Return)
    assert dialog.save_button.text() == "Confirm unusual values"
    assert charted(ward) == []


def test_enter_in_the_last_field_saves_a_usual_set(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="72", sbp="128", dbp="82", temp="36,8", spo2="97", rr="14")
    qtbot.keyClick(dialog.inputs["rr"], Qt.Key.Key_Return)

    assert dialog.result() == dialog.DialogCode.Accepted
    assert len(charted(ward)) == 7
    assert dialog.saved_values == {
        "hr": 72.0,
        "sbp": 128.0,
        "dbp": 82.0,
        "temp": 36.8,
        "spo2": 97.0,
        "rr": 14.0,
        "o2_flow": 0.0,
    }


def test_enter_stays_on_a_refused_field_and_says_why(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    qtbot.keyClicks(dialog.inputs["hr"], "7x")
    qtbot.keyClick(dialog.inputs["hr"], Qt.Key.Key_Return)
    assert dialog.errors["hr"].text() == "'7x' is not a number"
    assert dialog.focusWidget() is dialog.inputs["hr"]
    assert not seen(dialog, dialog.errors["dbp"])


def test_a_fahrenheit_temperature_is_converted_with_one_click(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="72", sbp="120", dbp="80", temp="99,5")
    click(qtbot, dialog.save_button)

    assert dialog.errors["temp"].text() == "99.5 °C is not possible — °F? 99.5 °F is 37.5 °C"
    use = dialog.suggestion_buttons["temp"]
    assert seen(dialog, use)
    assert use.text() == "Use 37.5 °C"
    click(qtbot, use)
    assert dialog.inputs["temp"].text() == "37.5"
    assert not seen(dialog, dialog.errors["temp"])
    assert not seen(dialog, use)

    click(qtbot, dialog.save_button)
    assert dialog.result() == dialog.DialogCode.Accepted
    temperature = next(r for r in charted(ward) if r["parameter"] == "temp")
    assert (temperature["value"], temperature["unit"]) == (37.5, "Cel")


def test_the_vitals_round_fills_the_empty_fields_from_recent_monitor_values(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    recorder = Recorder(
        ward.store,
        Link("masimo", "loop://", admission.bed_id),
        resolve_day=lambda: admission.id,
        source="masimo",
    )

    def monitor_sends(at_minutes_ago: int, *values: tuple[Parameter, float, str]) -> None:
        readings = tuple(Reading(p, v, unit, None, "masimo") for p, v, unit in values)
        received = clock.now() - timedelta(minutes=at_minutes_ago)
        recorder.on_readings(ReadingBatch(readings, (), (), received, 0.0))

    monitor_sends(20, (Parameter.TEMP, 36.9, "Cel"))
    monitor_sends(
        2,
        (Parameter.HR, 72, "/min"),
        (Parameter.SBP, 118, "mmHg"),
        (Parameter.DBP, 76, "mmHg"),
        (Parameter.SPO2, 97, "%"),
    )
    dialog = open_dialog(qtbot, ward, admission)

    assert dialog.device_labels["hr"].text() == "Monitor: 72 /min · 2 min ago"
    assert dialog.device_labels["temp"].text() == "Monitor: 36.9 °C · 20 min ago (too old)"
    assert dialog.device_labels["rr"].text() == ""
    type_in(qtbot, dialog, spo2="96")
    click(qtbot, dialog.monitor_button)

    assert [dialog.inputs[n].text() for n in ("hr", "sbp", "dbp", "spo2", "temp", "rr")] == [
        "72",
        "118",
        "76",
        "96",
        "",
        "",
    ]
    assert dialog.focusWidget() is dialog.inputs["temp"]
    qtbot.keyClicks(dialog.inputs["temp"], "37,1")
    click(qtbot, dialog.save_button)

    assert dialog.result() == dialog.DialogCode.Accepted
    rows = charted(ward)
    assert {(r["parameter"], r["value"], r["unit"]) for r in rows} == {
        ("hr", 72.0, "/min"),
        ("sbp", 118.0, "mmHg"),
        ("dbp", 76.0, "mmHg"),
        ("spo2", 96.0, "%"),
        ("temp", 37.1, "Cel"),
        ("o2_flow", 0.0, "L/min"),
    }
    [event] = vitals_events(ward)
    assert {r["set_id"] for r in rows} == {event["root_id"]}
    assert {r["source"] for r in rows} == {"manual"}
    # The monitor's stream stays in the record beside the charted set, as the trend.
    device = ward.store.query("SELECT parameter FROM observations WHERE source = 'masimo'")
    assert sorted(r["parameter"] for r in device) == ["dbp", "hr", "sbp", "spo2", "temp"]


def test_without_recent_monitor_values_the_round_fills_nothing(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    recorder = Recorder(
        ward.store,
        Link("masimo", "loop://", admission.bed_id),
        resolve_day=lambda: admission.id,
        source="masimo",
    )
    reading = Reading(Parameter.HR, 72, "/min", None, "masimo")
    old = clock.now() - timedelta(minutes=6)
    recorder.on_readings(ReadingBatch((reading,), (), (), old, 0.0))
    dialog = open_dialog(qtbot, ward, admission)

    click(qtbot, dialog.monitor_button)
    assert dialog.inputs["hr"].text() == ""
    assert dialog.monitor_status.text() == "No monitor values from the last 5 min."


def test_monitor_values_arriving_while_the_dialog_is_open_are_offered(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    assert not dialog.monitor_button.isEnabled()
    assert dialog.monitor_status.text() == "No monitor values for this chair."

    recorder = Recorder(
        ward.store,
        Link("masimo", "loop://", admission.bed_id),
        resolve_day=lambda: admission.id,
        source="masimo",
    )
    reading = Reading(Parameter.SPO2, 95, "%", None, "masimo")
    recorder.on_readings(ReadingBatch((reading,), (), (), clock.now(), 0.0))
    dialog.show_device_values(WardMonitors(ward).latest(admission.bed_id or "", admission.id))

    assert dialog.monitor_button.isEnabled()
    assert not seen(dialog, dialog.monitor_status)
    assert dialog.device_labels["spo2"].text() == "Monitor: 95 % · now"
    click(qtbot, dialog.monitor_button)
    assert dialog.inputs["spo2"].text() == "95"


def test_consciousness_and_oxygen_are_charted_after_confirmation(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="88", sbp="128", dbp="82", temp="37,4")
    click(qtbot, dialog.acvpu_buttons["V"])
    assert not dialog.inputs["o2_flow"].isEnabled()
    click(qtbot, dialog.oxygen_button)
    assert dialog.inputs["o2_flow"].isEnabled()
    click(qtbot, dialog.save_button)
    assert dialog.errors["o2_flow"].text() == "on oxygen: give the flow in L/min"
    assert charted(ward) == []

    qtbot.keyClicks(dialog.inputs["o2_flow"], "2")
    click(qtbot, dialog.save_button)
    assert "Consciousness (ACVPU): V (responds to Voice): not alert" in (
        dialog.confirm_label.text()
    )
    click(qtbot, dialog.save_button)

    values = {r["parameter"]: (r["value"], r["unit"]) for r in charted(ward)}
    assert values["acvpu"] == (2.0, "{ACVPU}")
    assert values["o2_flow"] == (2.0, "L/min")


def test_a_consciousness_level_chosen_by_mistake_can_be_taken_back(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    click(qtbot, dialog.acvpu_buttons["P"])
    click(qtbot, dialog.acvpu_buttons["A"])
    assert [b.isChecked() for b in dialog.acvpu_buttons.values()] == [True] + [False] * 4
    click(qtbot, dialog.acvpu_buttons["A"])
    assert not any(b.isChecked() for b in dialog.acvpu_buttons.values())
    assert dialog.texts()["acvpu"] == ""


def move_time(qtbot: QtBot, dialog: VitalsDialog, minutes: int) -> None:
    """Step the time's minutes with the arrow keys, as a nurse does on the field."""
    dialog.time_edit.setCurrentSection(QDateTimeEdit.Section.MinuteSection)
    key = Qt.Key.Key_Up if minutes > 0 else Qt.Key.Key_Down
    for _ in range(abs(minutes)):
        qtbot.keyClick(dialog.time_edit, key)


def test_a_back_dated_set_asks_for_a_reason_before_anything_is_stored(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    clock.advance(timedelta(minutes=45))  # 08:45
    dialog = open_dialog(qtbot, ward, admission)
    assert dialog.time_edit.text() == "08:45"
    assert not seen(dialog, dialog.reason_edit)
    type_in(qtbot, dialog, hr="72", sbp="120", dbp="80", temp="36,8")

    move_time(qtbot, dialog, -30)
    assert dialog.time_edit.text() == "08:15"
    assert seen(dialog, dialog.reason_edit)
    click(qtbot, dialog.save_button)
    assert dialog.errors["backdate_reason"].text() == (
        "measured 30 min ago: say why it is entered late"
    )
    assert charted(ward) == []

    qtbot.keyClicks(dialog.reason_edit, "patient was in the bathroom")
    click(qtbot, dialog.save_button)

    assert dialog.result() == dialog.DialogCode.Accepted
    measured = clock.now() - timedelta(minutes=30)
    assert {from_iso(r["measured_at"]) for r in charted(ward)} == {measured}
    [event] = vitals_events(ward)
    assert from_iso(event["occurred_at"]) == measured
    assert event["reason"] == "patient was in the bathroom"


def test_a_time_within_five_minutes_needs_no_reason_and_now_resets_it(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    clock.advance(timedelta(minutes=45))
    dialog = open_dialog(qtbot, ward, admission)
    move_time(qtbot, dialog, -5)
    assert not seen(dialog, dialog.reason_edit)
    move_time(qtbot, dialog, -10)
    assert seen(dialog, dialog.reason_edit)
    click(qtbot, dialog.now_button)
    assert dialog.time_edit.text() == "08:45"
    assert not seen(dialog, dialog.reason_edit)


def test_a_time_in_the_future_is_refused(qtbot: QtBot, ward: Ward, admission: Admission) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    type_in(qtbot, dialog, hr="72", sbp="120", dbp="80", temp="36,8")
    move_time(qtbot, dialog, 30)
    assert dialog.time_edit.text() == "08:30"
    click(qtbot, dialog.save_button)
    assert dialog.errors["measured_at"].text() == (
        "later than now: the time must not be in the future"
    )
    assert charted(ward) == []


def test_a_set_the_ward_refuses_is_shown_and_nothing_is_stored(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission, nurse=" ")
    type_in(qtbot, dialog, hr="72", sbp="120", dbp="80", temp="36,8")
    click(qtbot, dialog.save_button)

    general = dialog.errors["vitals"]
    assert seen(dialog, general)
    assert general.text() == ("Not saved: every record needs the initials of the nurse who made it")
    assert dialog.result() == 0
    assert charted(ward) == []
    assert vitals_events(ward) == []


def test_everything_a_finger_hits_is_at_least_44_pixels_high(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = open_dialog(qtbot, ward, admission)
    # Laid out at its own size, as it opens; showing it would need a real screen.
    dialog.resize(dialog.sizeHint())
    dialog.layout().activate()
    targets = [
        widget
        for widget in [*dialog.findChildren(QPushButton), *dialog.findChildren(QLineEdit)]
        # A time field's inner editor is part of the field, which is the target.
        if not isinstance(widget.parent(), QAbstractSpinBox) and seen(dialog, widget)
    ]
    assert len(targets) > 15
    for widget in [*targets, dialog.time_edit]:
        assert widget.height() >= 44, widget.objectName() or widget.text()
    assert min(b.width() for b in dialog.acvpu_buttons.values()) >= 72
