"""The reaction dialogs driven through their real widgets on a real record: search a term, tap a
grade and the actions, save; refusals beside their fields; resolution; corrections and the
struck-through history."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.patients import PatientDraft
from alemmonitor.reactions import (
    add_note,
    correct_note,
    reaction_history,
    reactions_of,
    record_reaction,
    strike_out_reaction,
)
from alemmonitor.store import Row
from alemmonitor.ward import Admission, Ward
from ui.reaction_dialog import (
    TERM_ROLE,
    HistoryDialog,
    ReactionDialog,
    ResolveReactionDialog,
    history_html,
)

NURSE = "AB"


@pytest.fixture
def admission(ward: Ward, clock: ManualClock) -> Admission:
    bed = ward.ensure_beds(6, NURSE)[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    return ward.admit(
        patient, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by=NURSE
    )


def open_dialog(qtbot: QtBot, dialog: QWidget) -> None:
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()


def tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def button(dialog: QWidget, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None, name
    return found


def pick_term(qtbot: QtBot, dialog: ReactionDialog, typed: str, name: str) -> None:
    tap(qtbot, button(dialog, "clearSearch"))
    qtbot.keyClicks(dialog.search, typed)
    names = [dialog.term_list.item(row).data(TERM_ROLE) for row in range(dialog.term_list.count())]
    item = dialog.term_list.item(names.index(name))
    dialog.term_list.scrollToItem(item)
    qtbot.mouseClick(
        dialog.term_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.term_list.visualItemRect(item).center(),
    )
    assert dialog.term_title.text() == name


def reaction_rows(ward: Ward) -> list[Row]:
    return ward.store.query("SELECT * FROM reactions ORDER BY rowid")


def local(clock: ManualClock, hour: int, minute: int) -> datetime:
    today = clock.local(clock.now())
    return today.replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_a_reaction_is_graded_and_saved_with_its_ctcae_version_and_actions(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    qtbot.keyClicks(dialog.search, "Ausschlag")
    assert dialog.term_list.item(0).data(TERM_ROLE) == "Rash maculo-papular"
    assert "exanthema" in dialog.term_list.item(0).text()
    pick_term(qtbot, dialog, "Ausschlag", "Rash maculo-papular")

    cards = dialog.grade_cards
    assert "10 - 30% BSA" in cards[2].definition_label.text()
    assert [card.isEnabled() for card in cards.values()] == [True, True, True, False, False]
    assert cards[4].definition_label.text() == "Not defined for this term"
    tap(qtbot, cards[2])
    assert dialog.selected_grade() == 2
    tap(qtbot, dialog.action_boxes["antihistamine"])
    tap(qtbot, dialog.action_boxes["corticosteroid"])
    tap(qtbot, button(dialog, "onsetTimeEarlier"))
    tap(qtbot, button(dialog, "onsetTimeEarlier"))
    qtbot.keyClicks(dialog.note, "trunk and arms")
    tap(qtbot, dialog.save_button)

    assert dialog.result() == ReactionDialog.DialogCode.Accepted
    [row] = reaction_rows(ward)
    assert (row["term"], row["grade"], row["ctcae_version"]) == ("Rash maculo-papular", 2, "5.0")
    assert json.loads(row["actions"]) == ["antihistamine", "corticosteroid"]
    assert row["onset_at"] == to_iso(local(clock, 7, 50))
    assert (row["note"], row["entered_by"], row["day_id"]) == (
        "trunk and arms",
        NURSE,
        admission.id,
    )
    assert reactions_of(ward, admission) == [dialog.reaction]


def test_every_target_is_big_enough_for_gloved_hands(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    pick_term(qtbot, dialog, "fieber", "Fever")
    targets: list[QWidget] = [
        dialog.search,
        dialog.onset.edit,
        *dialog.grade_cards.values(),
        *dialog.action_boxes.values(),
        *dialog.findChildren(QAbstractButton),
    ]
    small = [(t.objectName(), t.height()) for t in targets if t.isVisible() and t.height() < 44]
    assert small == []
    assert dialog.grade_cards[1].definition_label.font().pixelSize() >= 17


def test_a_grade_the_term_does_not_have_cannot_be_saved(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    pick_term(qtbot, dialog, "fever", "Fever")
    tap(qtbot, dialog.grade_cards[4])
    assert dialog.selected_grade() == 4
    # Another term: the grade chosen for fever does not carry over, and grade 4 is not there.
    pick_term(qtbot, dialog, "KOPFSCHMERZ", "Headache")
    assert dialog.selected_grade() is None
    tap(qtbot, dialog.grade_cards[4])
    assert dialog.selected_grade() is None
    tap(qtbot, dialog.save_button)

    assert dialog.result() == 0
    assert dialog.errors["grade"].isVisibleTo(dialog)
    assert dialog.errors["grade"].text() == "choose the grade (grades 1-3)"
    assert not dialog.errors["term"].isVisibleTo(dialog)
    assert reaction_rows(ward) == []


def test_a_future_onset_is_refused_beside_the_onset_and_nothing_is_stored(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    pick_term(qtbot, dialog, "headache", "Headache")
    tap(qtbot, dialog.grade_cards[1])
    dialog.onset.edit.setTime(QTime(8, 30))
    tap(qtbot, dialog.save_button)

    assert dialog.result() == 0
    assert dialog.errors["onset_at"].isVisibleTo(dialog)
    assert dialog.errors["onset_at"].text() == (
        "08:30 is in the future; the onset cannot be later than now"
    )
    assert reaction_rows(ward) == []

    tap(qtbot, button(dialog, "onsetTimeNow"))
    tap(qtbot, dialog.save_button)
    assert dialog.result() == ReactionDialog.DialogCode.Accepted
    assert len(reaction_rows(ward)) == 1


def test_no_term_and_other_without_a_note_are_refused_beside_their_fields(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    tap(qtbot, dialog.action_boxes["other"])
    tap(qtbot, dialog.save_button)
    assert dialog.errors["term"].isVisibleTo(dialog)
    assert dialog.errors["term"].text() == "choose the CTCAE term"

    pick_term(qtbot, dialog, "Juckreiz", "Pruritus")
    assert not dialog.errors["term"].isVisibleTo(dialog)
    tap(qtbot, dialog.grade_cards[1])
    tap(qtbot, dialog.save_button)
    assert dialog.errors["note"].isVisibleTo(dialog)
    assert "which other action" in dialog.errors["note"].text()
    assert reaction_rows(ward) == []


def test_no_action_and_an_action_exclude_each_other(
    qtbot: QtBot, ward: Ward, admission: Admission
) -> None:
    dialog = ReactionDialog(ward, admission, NURSE)
    open_dialog(qtbot, dialog)
    tap(qtbot, dialog.action_boxes["paused"])
    tap(qtbot, dialog.action_boxes["antipyretic"])
    tap(qtbot, dialog.action_boxes["none"])
    assert dialog.selected_actions() == ("none",)
    tap(qtbot, dialog.action_boxes["slowed"])
    assert dialog.selected_actions() == ("slowed",)


def test_the_resolution_time_is_recorded_and_a_wrong_one_refused_beside_it(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Urticaria", grade=1, onset_at=clock.now(), by=NURSE
    )
    clock.advance(timedelta(minutes=40))
    dialog = ResolveReactionDialog(ward, reaction, "CD")
    open_dialog(qtbot, dialog)
    assert dialog.resolved.edit.time() == QTime(8, 40)
    dialog.resolved.edit.setTime(QTime(7, 55))
    tap(qtbot, dialog.save_button)
    assert dialog.result() == 0
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text() == "07:55 is before the onset at 08:00"
    assert len(reaction_rows(ward)) == 1

    tap(qtbot, button(dialog, "resolvedTimeNow"))
    tap(qtbot, button(dialog, "resolvedTimeEarlier"))
    tap(qtbot, dialog.save_button)
    assert dialog.result() == ResolveReactionDialog.DialogCode.Accepted
    assert dialog.reaction is not None
    assert dialog.reaction.resolved_at == local(clock, 8, 35)
    latest = reaction_rows(ward)[-1]
    assert (latest["correction_reason"], latest["entered_by"]) == ("resolved", "CD")


def test_a_correction_through_the_dialog_shows_the_old_grade_struck_through(
    qtbot: QtBot, ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward,
        admission,
        term="Headache",
        grade=2,
        onset_at=clock.now(),
        actions=["antipyretic"],
        by=NURSE,
    )
    clock.advance(timedelta(minutes=20))
    dialog = ReactionDialog(ward, admission, "CD", correcting=reaction)
    open_dialog(qtbot, dialog)
    assert dialog.term_title.text() == "Headache"
    assert dialog.selected_grade() == 2
    assert dialog.selected_actions() == ("antipyretic",)
    assert dialog.onset.edit.time() == QTime(8, 0)
    tap(qtbot, dialog.grade_cards[3])
    tap(qtbot, dialog.save_button)
    assert dialog.errors["reason"].isVisibleTo(dialog)
    assert len(reaction_history(ward, reaction.id)) == 1

    qtbot.keyClicks(dialog.reason, "limits self care")
    tap(qtbot, dialog.save_button)
    assert dialog.result() == ReactionDialog.DialogCode.Accepted
    assert dialog.reaction is not None
    assert (dialog.reaction.id, dialog.reaction.grade) == (reaction.id, 3)
    # Only the grade changed: the onset stored to the microsecond is kept as it was.
    assert dialog.reaction.onset_at == reaction.onset_at

    page = history_html(reaction_history(ward, reaction.id), local=clock.local)
    assert "<b>Recorded</b> 2026-11-23 08:00 by AB" in page
    assert "Grade: <s>2</s>" in page
    assert "Term: <s>Headache</s>" in page
    assert "<b>Corrected</b> 2026-11-23 08:20 by CD — why: <i>limits self care</i>" in page
    assert "Grade: <b>3</b>" in page
    assert "Term: Headache" in page
    assert "Actions: antipyretic" in page

    history = HistoryDialog("Headache", reaction_history(ward, reaction.id), local=clock.local)
    open_dialog(qtbot, history)
    text = history.browser.toPlainText()
    assert "Corrected 2026-11-23 08:20 by CD — why: limits self care" in text
    assert "Grade: 3" in text


def test_the_history_of_any_record_strikes_out_what_was_replaced(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    note = add_note(ward, admission, "Husband present <3", by=NURSE)
    clock.advance(timedelta(minutes=5))
    correct_note(ward, note.id, text="Daughter present", by="CD", reason="wrong relative")
    page = history_html(ward.store.history("notes", note.id), local=clock.local)
    assert "Text: <s>Husband present &lt;3</s>" in page
    assert "Text: <b>Daughter present</b>" in page
    assert "why: <i>wrong relative</i>" in page
    assert "Patient" not in page  # links to other records are left out

    reaction = record_reaction(
        ward, admission, term="Fever", grade=1, onset_at=clock.now(), by=NURSE
    )
    strike_out_reaction(ward, reaction.id, by="CD", reason="other patient")
    page = history_html(reaction_history(ward, reaction.id), local=clock.local)
    assert "<b>Struck out</b> 2026-11-23 08:05 by CD — why: <i>other patient</i>" in page
    assert "Term: <s>Fever</s>" in page
    assert "Term: Fever<" not in page
