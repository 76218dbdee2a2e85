"""The day view driven through its real widgets with an injected clock: a day from arrival to the
end of observation, and the refusals a nurse meets on the way."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QDoubleSpinBox, QLineEdit
from pytestqt.qtbot import QtBot

from alemmonitor.alarm_rules import default_alarm_rules
from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind, InfusionState, Step, TaskState
from alemmonitor.patients import PatientDraft
from alemmonitor.reactions import add_note
from alemmonitor.ward import Admission, Ward
from alemmonitor.watch import AlarmWatch
from ui.day_view import DayView
from ui.event_dialog import CorrectionDialog, EventDialog
from ui.reactions_panel import ROW_PX


def admit(ward: Ward, clock: ManualClock, day: int = 1) -> Admission:
    bed = ward.ensure_beds(6, "AB")[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), "AB")
    return ward.admit(
        patient, course_number=1, day_number=day, bed=bed, planned_start=clock.now(), by="AB"
    )


def open_day(qtbot: QtBot, ward: Ward, admission: Admission, nurse: str = "AB") -> DayView:
    """The day view of `admission`, as `nurse` opens it."""
    view = DayView(ward, AlarmWatch(ward, default_alarm_rules()))
    qtbot.addWidget(view)
    view.show_admission(admission, nurse)
    return view


def fill(qtbot: QtBot, dialog: EventDialog, **values: str | float) -> None:
    for name, value in values.items():
        field = dialog.inputs[name]
        if isinstance(field, QDoubleSpinBox):
            field.setValue(float(value))
        else:
            assert isinstance(field, QLineEdit)
            field.clear()
            qtbot.keyClicks(field, str(value))


def save(qtbot: QtBot, dialog: EventDialog) -> bool:
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    return dialog.result() == EventDialog.DialogCode.Accepted


def row_of(view: DayView, task_id: str) -> int:
    assert view.status is not None
    return next(i for i, task in enumerate(view.status.tasks) if task.id == task_id)


def cell(view: DayView, task_id: str, column: int) -> str:
    return view.checklist.item(row_of(view, task_id), column).text()


def test_a_day_from_premedication_to_the_end_of_observation(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    view = open_day(qtbot, ward, admission)
    assert view.step_label.text() == "Before the infusion"
    assert cell(view, "acyclovir", 4) == "due"

    # Premedication, each from its row of the checklist, prescribed values filled in.
    for task_id in ("acyclovir", "ranitidine", "desloratadine"):
        task = view.status.task(task_id)  # type: ignore[union-attr]
        dialog = view.make_event_dialog(EventKind.PREMEDICATION_GIVEN, task)
        qtbot.addWidget(dialog)
        assert dialog.inputs["route"].text() == "oral"  # type: ignore[union-attr]
        fill(qtbot, dialog, batch="B-17")
        assert save(qtbot, dialog)
        view.reload()
    assert cell(view, "ranitidine", 3) == "AB"
    assert cell(view, "ranitidine", 4) == "done"

    clock.advance(timedelta(minutes=30))
    steroid = view.make_event_dialog(EventKind.STEROID_STARTED, view.status.task("steroid"))  # type: ignore[union-attr]
    qtbot.addWidget(steroid)
    assert save(qtbot, steroid)
    view.reload()
    assert view.step_label.text() == "Methylprednisolone running"

    # Alemtuzumab cannot start with the same nurse as the second check: refused, with the reason.
    clock.advance(timedelta(minutes=60))
    start = view.make_event_dialog(EventKind.INFUSION_STARTED)
    qtbot.addWidget(start)
    fill(qtbot, start, batch="LEM-24A117", checked_by="ab")
    assert not save(qtbot, start)
    assert "second nurse" in start.error.text()
    assert (
        ward.infusion_day(admission).status(clock.now()).infusion_state is InfusionState.NOT_STARTED
    )
    fill(qtbot, start, checked_by="KM")
    assert save(qtbot, start)
    view.reload()
    assert view.step_label.text() == "Alemtuzumab running"
    assert "Pause…" in [b.text() for b in view.action_buttons.values()]

    clock.advance(timedelta(minutes=60))
    view.tick(clock.now())
    assert "25 of 100 mL" in view.progress_label.text()
    pause = view.make_event_dialog(EventKind.INFUSION_PAUSED)
    qtbot.addWidget(pause)
    fill(qtbot, pause, reason="flushing")
    assert save(qtbot, pause)
    clock.advance(timedelta(minutes=20))
    resume = view.make_event_dialog(EventKind.INFUSION_RESUMED)
    qtbot.addWidget(resume)
    assert save(qtbot, resume)
    view.reload()
    assert "ran 1 h," in view.progress_label.text()

    clock.advance(timedelta(hours=3))
    complete = view.make_event_dialog(EventKind.INFUSION_COMPLETED)
    qtbot.addWidget(complete)
    assert save(qtbot, complete)
    view.reload()
    assert view.step_label.text() == "Observation"

    # Ending the observation after 30 minutes needs a reason; with one it is recorded.
    clock.advance(timedelta(minutes=30))
    end = view.make_event_dialog(EventKind.OBSERVATION_ENDED)
    qtbot.addWidget(end)
    assert not save(qtbot, end)
    assert "give a reason to end it early" in end.error.text()
    fill(qtbot, end, reason="transferred to the ward for the night")
    assert save(qtbot, end)
    view.reload()
    assert view.step_label.text() == Step.DAY_COMPLETE.value
    assert view.day is not None
    assert [e.kind for e in view.day.events].count(EventKind.INFUSION_PAUSED) == 1
    start_event = next(e for e in view.day.events if e.kind is EventKind.INFUSION_STARTED)
    assert (start_event.batch, start_event.checked_by, start_event.by) == ("LEM-24A117", "KM", "AB")


def test_a_skipped_step_carries_its_reason(qtbot: QtBot, ward: Ward, clock: ManualClock) -> None:
    admission = admit(ward, clock, day=4)
    view = open_day(qtbot, ward, admission, "CD")
    task = view.status.task("desloratadine")  # type: ignore[union-attr]
    dialog = view.make_event_dialog(EventKind.TASK_SKIPPED, task)
    qtbot.addWidget(dialog)
    assert not save(qtbot, dialog)
    assert "Reason" in dialog.error.text()
    fill(qtbot, dialog, reason="taken at home this morning")
    assert save(qtbot, dialog)
    view.reload()
    assert view.status is not None
    assert view.status.task("desloratadine").state is TaskState.SKIPPED
    assert "taken at home this morning" in cell(view, "desloratadine", 1)


def test_a_wrong_time_is_corrected_with_a_reason_and_the_original_kept(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock, day=4)
    view = open_day(qtbot, ward, admission)
    ward.record(admission, EventKind.PREMEDICATION_GIVEN, by="AB", task="paracetamol")
    clock.advance(timedelta(minutes=40))
    view.reload()
    view.checklist.setCurrentCell(row_of(view, "paracetamol"), 0)
    task = view.status.task("paracetamol")  # type: ignore[union-attr]
    dialog = CorrectionDialog(ward, admission, task, "CD", view)
    qtbot.addWidget(dialog)
    dialog.time_edit.setTime(dialog.time_edit.time().addSecs(-15 * 60))
    qtbot.mouseClick(dialog.correct_button, Qt.MouseButton.LeftButton)
    assert "needs the reason" in dialog.error.text()
    qtbot.keyClicks(dialog.reason, "given before the round, entered late")
    qtbot.mouseClick(dialog.correct_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == CorrectionDialog.DialogCode.Accepted
    view.reload()

    planned_local = clock.local(clock.now() - timedelta(minutes=40 + 15))
    assert cell(view, "paracetamol", 2) == f"{planned_local:%H:%M}"
    # Who gave it stays AB; the correction is CD's, with the reason, and the original is kept.
    assert cell(view, "paracetamol", 3) == "AB"
    history = ward.store.history("events", task.event_id or "")
    assert len(history) == 2
    assert (history[1]["entered_by"], history[1]["correction_reason"]) == (
        "CD",
        "given before the round, entered late",
    )


def test_striking_out_a_start_that_later_records_depend_on_is_refused(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock, day=4)
    ward.record(admission, EventKind.INFUSION_STARTED, by="AB", batch="L1", checked_by="KM")
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.INFUSION_PAUSED, by="AB")
    view = open_day(qtbot, ward, admission)
    task = view.status.task("infusion-start")  # type: ignore[union-attr]
    dialog = CorrectionDialog(ward, admission, task, "AB", view)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.reason, "wrong patient")
    qtbot.mouseClick(dialog.strike_button, Qt.MouseButton.LeftButton)
    assert "other records depend on it" in dialog.error.text()
    assert dialog.result() != CorrectionDialog.DialogCode.Accepted
    assert ward.infusion_day(admission).status(clock.now()).infusion_state is InfusionState.PAUSED


def test_reactions_and_notes_are_recorded_from_the_record_box_and_listed_when_there_are_any(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    view = open_day(qtbot, ward, admission)
    view.resize(1366, 620)
    with qtbot.waitExposed(view):
        view.show()
    panel = view.reactions
    for button in (panel.add_reaction_button, panel.add_note_button):
        assert view.actions_box.isAncestorOf(button)
        assert button.isVisible()
    # No reactions or notes yet: no list, and the trends have its height.
    assert not panel.isVisible()
    tall = view.trends.height()

    for text in ("Feels warm.", "Fan offered.", "Husband informed."):
        add_note(ward, admission, text, by="AB")
    panel.reload()
    qtbot.waitUntil(lambda: view.trends.height() < tall)
    assert panel.isVisible()
    # Two rows are shown, the third is scrolled to.
    assert panel.scroller.height() == 2 * ROW_PX
    qtbot.waitUntil(lambda: panel.scroller.verticalScrollBar().maximum() > 0)
    assert len(panel.reaction_rows) == 3
