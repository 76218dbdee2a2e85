"""A whole infusion day driven through the real widgets of the main window with the ward's clock
in the test's hand: registration to the end of observation, then the record read back."""

from __future__ import annotations

import json
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock, from_iso
from alemmonitor.infusion_day import EventKind, Step, TaskState
from alemmonitor.store import Row
from alemmonitor.vitals import UNITS
from alemmonitor.ward import Ward
from devices.readings import Parameter
from ui.day_view import TASK_EVENTS, DayView
from ui.dialogs import RegisterPatientDialog, StartDayDialog
from ui.event_dialog import EventDialog
from ui.main_window import MainWindow
from ui.reaction_dialog import TERM_ROLE, ReactionDialog
from ui.vitals_dialog import VitalsDialog

NURSE = "AB"
SECOND_NURSE = "KM"
TABLES = (
    "patients",
    "beds",
    "courses",
    "infusion_days",
    "events",
    "observations",
    "reactions",
    "notes",
    "device_events",
)


def tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def accept_button(dialog: QWidget) -> QAbstractButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.buttons()[0]
    assert box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole
    return button


def hm(clock: ManualClock, stored: str) -> str:
    return f"{clock.local(from_iso(stored)):%H:%M}"


EVENT_FIELDS = (
    "kind",
    "task",
    "drug",
    "dose",
    "unit",
    "route",
    "batch",
    "performed_by",
    "checked_by",
    "rate_ml_h",
    "reason",
)
ORAL = {"unit": "mg", "route": "oral"}


def recorded(clock: ManualClock, event: Row) -> dict[str, object]:
    """An event row as its local time and the fields it holds (empty ones left out)."""
    fields = {name: event[name] for name in EVENT_FIELDS if event[name] is not None}
    return {"at": hm(clock, event["occurred_at"]), **fields}


def given(at: str, kind: str, **fields: object) -> dict[str, object]:
    """An event as the nurse on duty entered it."""
    return {"at": at, "kind": kind, "performed_by": NURSE, **fields}


def after_recording(window: MainWindow) -> None:
    """What the day view and the window do once a dialog of theirs was accepted."""
    window.day_view.reload()
    window.reload()


def record_event(
    qtbot: QtBot,
    window: MainWindow,
    kind: EventKind,
    task_id: str | None = None,
    **fields: str | float,
) -> EventDialog:
    """Record `kind` through its dialog, for the checklist's step `task_id` when given."""
    view = window.day_view
    assert view.status is not None
    task = None
    if task_id is not None:
        view.checklist.setCurrentCell(checklist_row(view, task_id), 1)
        task = view.status.tasks[view.checklist.currentRow()]
        assert task.id == task_id
        assert TASK_EVENTS[task.kind] is kind
    else:
        assert kind in view.action_buttons, f"no button for {kind} now"
    dialog = view.make_event_dialog(kind, task, view.status.rate_ml_h)
    qtbot.addWidget(dialog)
    for name, value in fields.items():
        field = dialog.inputs[name]
        if isinstance(field, QDoubleSpinBox):
            field.setValue(float(value))
        else:
            type_into(qtbot, field, str(value))
    tap(qtbot, accept_button(dialog))
    assert dialog.result() == EventDialog.DialogCode.Accepted, dialog.error.text()
    after_recording(window)
    return dialog


def checklist_row(view: DayView, task_id: str) -> int:
    for row in range(view.checklist.rowCount()):
        item = view.checklist.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == task_id:
            return row
    raise AssertionError(f"{task_id} is not on the checklist")


def cell(view: DayView, task_id: str, column: int) -> str:
    item = view.checklist.item(checklist_row(view, task_id), column)
    assert item is not None
    return item.text()


def open_vitals(qtbot: QtBot, window: MainWindow) -> VitalsDialog:
    """The vital-signs entry as the window opens it for the day shown."""
    admission = window.day_view.admission
    assert admission is not None
    bed_id = admission.bed_id or ""
    dialog = VitalsDialog(
        window.ward, admission, window.nurse, window.monitors.latest(bed_id, admission.id), window
    )
    qtbot.addWidget(dialog)
    return dialog


def finish_vitals(window: MainWindow, dialog: VitalsDialog) -> None:
    """What the window does with an accepted vitals entry."""
    assert dialog.result() == VitalsDialog.DialogCode.Accepted
    assert dialog.measured_at is not None
    admission = window.day_view.admission
    assert admission is not None
    window.monitors.note_manual(
        admission.bed_id or "",
        admission.id,
        {name: (value, UNITS[name]) for name, value in dialog.saved_values.items()},
        dialog.measured_at,
    )
    after_recording(window)


def vitals_round(qtbot: QtBot, window: MainWindow, values: dict[str, str]) -> None:
    dialog = open_vitals(qtbot, window)
    for name, text in values.items():
        type_into(qtbot, dialog.inputs[name], text)
    tap(qtbot, dialog.save_button)
    finish_vitals(window, dialog)


def seen(dialog: QWidget, widget: QWidget) -> bool:
    return widget.isVisibleTo(dialog)


def count(ward: Ward, table: str) -> int:
    return int(ward.store.query(f"SELECT count(*) AS n FROM {table}")[0]["n"])  # noqa: S608


def manual_rows(ward: Ward) -> list[Row]:
    return ward.store.query(
        "SELECT * FROM observations WHERE source = 'manual' ORDER BY measured_at, parameter"
    )


def test_a_whole_infusion_day_is_recorded_exactly_as_entered(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    ward.ensure_beds(6, NURSE)
    window = MainWindow(ward, NURSE)
    qtbot.addWidget(window)

    # 08:00 — the patient is registered and admitted to chair 3.
    register = RegisterPatientDialog(ward, window.nurse, window)
    qtbot.addWidget(register)
    for key, text in (
        ("patient_id", "HZ-88412"),
        ("name", "Clara Weiß"),
        ("dob", "1991-07-19"),
        ("weight_kg", "58,5"),
    ):
        field = register.inputs[key]
        assert isinstance(field, QLineEdit)
        type_into(qtbot, field, text)
    sex = register.inputs["sex"]
    assert isinstance(sex, QComboBox)
    sex.setCurrentText("female")
    tap(qtbot, accept_button(register))
    assert register.result() == RegisterPatientDialog.DialogCode.Accepted
    assert register.patient is not None

    chair = ward.beds()[2]
    start_day = StartDayDialog(ward, window.nurse, window.free_beds(), chair, window)
    qtbot.addWidget(start_day)
    qtbot.keyClicks(start_day.search, "weiß")
    assert start_day.patient_list.count() == 1
    assert start_day.chair.currentText() == "Chair 3"
    assert start_day.start_time.text() == "08:00"
    start_day.course.setValue(1)
    start_day.day.setValue(1)
    tap(qtbot, accept_button(start_day))
    assert start_day.result() == StartDayDialog.DialogCode.Accepted, start_day.error.text()
    window.reload()
    card = window.ward_view.cards[chair.id]
    assert card.patient_label.text() == "Clara Weiß  ·  HZ-88412"

    view = window.day_view
    with qtbot.waitSignal(view.trends.loaded, timeout=5000):
        window.open_day(chair)
    assert window.pages.currentWidget() is view
    assert view.step_label.text() == Step.PREPARATION.value
    assert "Course 1 · Day 1/5" in view.title.text()

    # The oral premedication from the checklist, as the protocol prescribes it.
    for task_id, drug, dose in (
        ("acyclovir", "acyclovir", "200 mg"),
        ("ranitidine", "ranitidine", "300 mg"),
        ("desloratadine", "desloratadine", "5 mg"),
    ):
        assert cell(view, task_id, 4) == "due"
        dialog = record_event(qtbot, window, EventKind.PREMEDICATION_GIVEN, task_id)
        assert [dialog.inputs[n].text() for n in ("drug", "dose", "route")] == [
            drug,
            dose,
            "oral",
        ]
        assert cell(view, task_id, 4) == "done"
        assert cell(view, task_id, 3) == NURSE

    clock.advance(timedelta(minutes=30))  # 08:30
    record_event(qtbot, window, EventKind.STEROID_STARTED, "steroid", batch="MP-5531")
    assert view.step_label.text() == Step.STEROID.value

    clock.advance(timedelta(minutes=30))  # 09:00
    record_event(qtbot, window, EventKind.STEROID_FINISHED, "steroid-finish")
    record_event(qtbot, window, EventKind.PREMEDICATION_GIVEN, "paracetamol", batch="PCM-2291")
    assert view.step_label.text() == Step.READY.value

    # 09:25 — vital signs before the start: an impossible heart rate is refused beside its field.
    clock.advance(timedelta(minutes=25))
    vitals = open_vitals(qtbot, window)
    for name, text in (
        ("hr", "720"),
        ("sbp", "124"),
        ("dbp", "78"),
        ("temp", "36,7"),
        ("spo2", "98"),
        ("rr", "14"),
    ):
        type_into(qtbot, vitals.inputs[name], text)
    tap(qtbot, vitals.save_button)
    assert seen(vitals, vitals.errors["hr"])
    assert vitals.errors["hr"].text() == "720 /min is not possible — typed twice?"
    assert not seen(vitals, vitals.errors["sbp"])
    assert vitals.result() != VitalsDialog.DialogCode.Accepted
    assert manual_rows(ward) == []
    assert count(ward, "events") == 6
    type_into(qtbot, vitals.inputs["hr"], "72")
    assert not seen(vitals, vitals.errors["hr"])
    tap(qtbot, vitals.save_button)
    finish_vitals(window, vitals)
    assert cell(view, "vitals-before", 4) == "done"

    # 09:30 — alemtuzumab with its batch, double-checked by a second nurse.
    clock.advance(timedelta(minutes=5))
    record_event(
        qtbot,
        window,
        EventKind.INFUSION_STARTED,
        batch="LEM-24A117",
        checked_by=SECOND_NURSE,
        rate_ml_h=25.0,
    )
    assert view.step_label.text() == Step.INFUSION_RUNNING.value
    assert "batch LEM-24A117, checked by KM" in cell(view, "infusion-start", 1)

    clock.advance(timedelta(hours=1))  # 10:30
    vitals_round(
        qtbot,
        window,
        {"hr": "78", "sbp": "126", "dbp": "80", "temp": "36,9", "spo2": "97", "rr": "15"},
    )

    # 10:45 — a rash: the infusion is paused and the reaction graded.
    clock.advance(timedelta(minutes=15))
    record_event(qtbot, window, EventKind.INFUSION_PAUSED, reason="rash on trunk and arms")
    assert view.step_label.text() == Step.INFUSION_PAUSED.value
    reaction = ReactionDialog(ward, view.admission, window.nurse, view.reactions)  # type: ignore[arg-type]
    qtbot.addWidget(reaction)
    with qtbot.waitExposed(reaction):
        reaction.show()
    qtbot.keyClicks(reaction.search, "exanthema")
    names = [reaction.term_list.item(r).data(TERM_ROLE) for r in range(reaction.term_list.count())]
    item = reaction.term_list.item(names.index("Rash maculo-papular"))
    qtbot.mouseClick(
        reaction.term_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=reaction.term_list.visualItemRect(item).center(),
    )
    assert reaction.term_title.text() == "Rash maculo-papular"
    tap(qtbot, reaction.grade_cards[2])
    tap(qtbot, reaction.action_boxes["antihistamine"])
    assert reaction.onset.edit.text() == "10:45"
    tap(qtbot, reaction.save_button)
    assert reaction.result() == ReactionDialog.DialogCode.Accepted
    view.reactions.reload()
    after_recording(window)
    [reaction_line] = [
        label.text() for row in view.reactions.reaction_rows for label in row.findChildren(QLabel)
    ]
    assert "10:45 Rash maculo-papular, grade 2" in reaction_line
    assert "(CTCAE 5.0) · Antihistamine · ongoing" in reaction_line

    clock.advance(timedelta(minutes=30))  # 11:15
    record_event(qtbot, window, EventKind.INFUSION_RESUMED)
    assert view.step_label.text() == Step.INFUSION_RUNNING.value

    # 11:30 — a high temperature is charted only after the visible confirmation.
    clock.advance(timedelta(minutes=15))
    fever = open_vitals(qtbot, window)
    for name, text in (
        ("hr", "96"),
        ("sbp", "118"),
        ("dbp", "72"),
        ("temp", "39,1"),
        ("spo2", "97"),
        ("rr", "18"),
    ):
        type_into(qtbot, fever.inputs[name], text)
    stored_before = len(manual_rows(ward))
    tap(qtbot, fever.save_button)
    assert seen(fever, fever.confirm_label)
    assert fever.save_button.text() == "Confirm unusual values"
    assert "Temperature: 39.1 °C is unusual: 39 °C or more" in fever.confirm_label.text()
    assert fever.notes["temp"].text() == "39.1 °C is unusual: 39 °C or more"
    assert len(manual_rows(ward)) == stored_before
    tap(qtbot, fever.save_button)
    finish_vitals(window, fever)

    hourly = (
        {"hr": "88", "sbp": "120", "dbp": "76", "temp": "38,2", "spo2": "98", "rr": "16"},
        {"hr": "80", "sbp": "122", "dbp": "78", "temp": "37,4", "spo2": "98", "rr": "15"},
    )
    for values in hourly:  # 12:30, 13:30
        clock.advance(timedelta(hours=1))
        vitals_round(qtbot, window, values)

    clock.advance(timedelta(minutes=30))  # 14:00: 75 + 165 minutes at 25 mL/h make 100 mL
    view.tick(clock.now())
    assert "100 of 100 mL" in view.progress_label.text()
    record_event(qtbot, window, EventKind.INFUSION_COMPLETED)
    assert view.step_label.text() == Step.OBSERVATION.value

    after_end = (
        {"hr": "76", "sbp": "124", "dbp": "80", "temp": "37,0", "spo2": "98", "rr": "14"},
        {"hr": "74", "sbp": "122", "dbp": "78", "temp": "36,8", "spo2": "98", "rr": "14"},
    )
    for values in after_end:  # 14:30, 15:00
        clock.advance(timedelta(minutes=30))
        vitals_round(qtbot, window, values)
    assert cell(view, "observation-end", 0) == "16:00"

    clock.advance(timedelta(hours=1))  # 16:00: 120 min after the end
    record_event(qtbot, window, EventKind.OBSERVATION_ENDED)

    # What the nurse sees at the end of the day.
    assert view.step_label.text() == "Day complete"
    assert view.status is not None
    assert {t.state for t in view.status.tasks} == {TaskState.DONE}
    assert not view.problems_label.isVisibleTo(view)
    assert card.step_label.text() == "Day complete"

    # The record holds what was entered, and nothing else.
    events = ward.store.query("SELECT * FROM current_events ORDER BY occurred_at, rowid")
    assert [recorded(clock, e) for e in events] == [
        given("08:00", "premedication_given", task="acyclovir", drug="acyclovir", dose=200.0)
        | ORAL,
        given("08:00", "premedication_given", task="ranitidine", drug="ranitidine", dose=300.0)
        | ORAL,
        given("08:00", "premedication_given", task="desloratadine", drug="desloratadine", dose=5.0)
        | ORAL,
        given("08:30", "steroid_started", task="steroid", drug="methylprednisolone", dose=1000.0)
        | {"unit": "mg", "route": "IV", "batch": "MP-5531"},
        given("09:00", "steroid_finished"),
        given("09:00", "premedication_given", task="paracetamol", drug="paracetamol", dose=1.0)
        | {"unit": "g", "route": "IV", "batch": "PCM-2291"},
        given("09:25", "vitals_taken"),
        given("09:30", "infusion_started", drug="alemtuzumab", dose=12.0, unit="mg", route="IV")
        | {"batch": "LEM-24A117", "checked_by": SECOND_NURSE, "rate_ml_h": 25.0},
        given("10:30", "vitals_taken"),
        given("10:45", "infusion_paused", reason="rash on trunk and arms"),
        given("11:15", "infusion_resumed"),
        given("11:30", "vitals_taken"),
        given("12:30", "vitals_taken"),
        given("13:30", "vitals_taken"),
        given("14:00", "infusion_completed"),
        given("14:30", "vitals_taken"),
        given("15:00", "vitals_taken"),
        given("16:00", "observation_ended"),
    ]
    rounds = {
        "09:25": ("72", "124", "78", "36,7", "98", "14"),
        "10:30": ("78", "126", "80", "36,9", "97", "15"),
        "11:30": ("96", "118", "72", "39,1", "97", "18"),
        "12:30": tuple(hourly[0].values()),
        "13:30": tuple(hourly[1].values()),
        "14:30": tuple(after_end[0].values()),
        "15:00": tuple(after_end[1].values()),
    }
    units = {"hr": "/min", "sbp": "mmHg", "dbp": "mmHg", "temp": "Cel", "spo2": "%", "rr": "/min"}
    expected = sorted(
        (at, name, float(text.replace(",", ".")), units[name])
        for at, texts in rounds.items()
        for name, text in zip(("hr", "sbp", "dbp", "temp", "spo2", "rr"), texts, strict=True)
    ) + [(at, "o2_flow", 0.0, "L/min") for at in rounds]
    rows = manual_rows(ward)
    assert sorted(
        (hm(clock, r["measured_at"]), r["parameter"], r["value"], r["unit"]) for r in rows
    ) == sorted(expected)
    admission = view.admission
    assert admission is not None
    assert {(r["source"], r["entered_by"], r["day_id"], r["bed_id"]) for r in rows} == {
        ("manual", NURSE, admission.id, chair.id)
    }
    assert all(r["measured_at"] == r["received_at"] for r in rows)
    set_of_event = {hm(clock, e["occurred_at"]): e["root_id"] for e in events}
    sets: dict[str, set[str]] = {}
    for r in rows:
        sets.setdefault(hm(clock, r["measured_at"]), set()).add(r["set_id"])
    assert sets == {at: {set_of_event[at]} for at in rounds}
    assert view.trends.charted(Parameter.TEMP).getOriginalDataset()[1].tolist() == [
        36.7,
        36.9,
        39.1,
        38.2,
        37.4,
        37.0,
        36.8,
    ]

    [stored] = ward.store.query("SELECT * FROM reactions")
    assert (stored["term"], stored["grade"], stored["ctcae_version"]) == (
        "Rash maculo-papular",
        2,
        "5.0",
    )
    assert json.loads(stored["actions"]) == ["antihistamine"]
    assert (hm(clock, stored["onset_at"]), stored["resolved_at"], stored["note"]) == (
        "10:45",
        None,
        None,
    )
    assert (stored["day_id"], stored["entered_by"]) == (admission.id, NURSE)

    [patient] = ward.store.query("SELECT * FROM patients")
    assert (
        patient["hospital_id"],
        patient["name"],
        patient["date_of_birth"],
        patient["sex"],
        patient["weight_kg"],
    ) == ("HZ-88412", "Clara Weiß", "1991-07-19", "female", 58.5)
    [day] = ward.store.query("SELECT * FROM infusion_days")
    assert (day["day_number"], day["bed_id"], hm(clock, day["planned_start"])) == (
        1,
        chair.id,
        "08:00",
    )

    assert {table: count(ward, table) for table in TABLES} == {
        "patients": 1,
        "beds": 6,
        "courses": 1,
        "infusion_days": 1,
        "events": 18,
        "observations": 49,
        "reactions": 1,
        "notes": 0,
        "device_events": 0,
    }
    # Nothing was corrected or struck out: every row is a first version.
    for table in TABLES[:-1]:
        assert count(ward, f"current_{table}") == count(ward, table), table
    audited = ward.store.query(
        "SELECT table_name, action, count(*) AS n FROM audit GROUP BY table_name, action"
    )
    assert {(a["table_name"], a["action"]): a["n"] for a in audited} == {
        ("patients", "record"): 1,
        ("beds", "record"): 6,
        ("courses", "record"): 1,
        ("infusion_days", "record"): 1,
        ("events", "record"): 18,
        ("observations", "record"): 49,
        ("reactions", "record"): 1,
    }
