"""Alarms as the nurse sees them, through the real widgets: the alarm bar, the chair's card, the
day view's list, flashing, acknowledging, the audio pause, the warning checklist, a patient's
limits, and what the screen says when sound cannot play."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from alemmonitor import alarm_rules
from alemmonitor.acquisition import Link, Recorder
from alemmonitor.alarm_rules import AlarmRulesFileError, Priority
from alemmonitor.alarms import AlarmAction, AlarmState
from alemmonitor.clock import ManualClock
from alemmonitor.patient_alarms import STOP_ADVICE, warning_checks
from alemmonitor.ward import Admission, Bed, Ward
from alemmonitor.watch import alarm_log
from devices.readings import Parameter, Reading
from devices.session import ReadingBatch
from ui.alarm_dialogs import WarningChecklistDialog
from ui.i18n import install_translators, translated
from ui.main_window import MainWindow

NURSE = "AB"


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(3, NURSE)


@pytest.fixture
def day(anna_day: Admission) -> Admission:
    return anna_day


@pytest.fixture
def window(qtbot: QtBot, ward: Ward, day: Admission) -> MainWindow:
    shown = MainWindow(ward, NURSE)
    qtbot.addWidget(shown)
    shown.tick()
    return shown


def reading(window: MainWindow, day: Admission, **values: float) -> None:
    """Values arriving as a monitor's do: on another thread."""
    assert day.bed_id is not None
    bed_id = day.bed_id
    now = window.ward.clock.now()
    arrived = threading.Thread(target=window.watch.on_readings, args=(bed_id, day.id, values, now))
    arrived.start()
    arrived.join()


def test_a_reading_from_a_monitor_thread_shows_on_the_bar_and_the_card(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    bar = window.alarms.bar
    assert bar.message.full_text() == "No alarms"

    reading(window, day, hr=150)

    qtbot.waitUntil(lambda: bar.shown is not None)
    assert bar.message.full_text().startswith("HIGH · Chair 1 · Anna Müller · Heart rate 150 /min")
    assert bar.property("alarm") == "high"
    card = window.ward_view.cards[day.bed_id or ""]
    assert card.property("alarm") == "high"
    assert "Heart rate 150 /min, above 140" in card.alarm_label.full_text()
    assert card.alarm_label.isVisibleTo(card)


def test_alarms_standing_when_the_app_starts_are_raised_once_the_window_is_up(
    qtbot: QtBot, ward: Ward, day: Admission
) -> None:
    assert day.bed_id is not None
    bed_id = day.bed_id
    recorder = Recorder(
        ward.store, Link("masimo", "loop://", bed_id), resolve_day=lambda: day.id, source="masimo"
    )

    def monitor_stores(parameter: Parameter, value: float, unit: str) -> None:
        reading = Reading(parameter, value, unit, None, "masimo")
        recorder.on_readings(ReadingBatch((reading,), (), (), ward.clock.now(), 0.0))

    monitor_stores(Parameter.HR, 150, "/min")  # just before the app (re)started
    window = MainWindow(ward, NURSE)
    qtbot.addWidget(window)
    # While the window is built and first painted, nobody listens to the monitors yet.
    monitor_stores(Parameter.SPO2, 86, "%")
    bar = window.alarm_bar
    assert bar.message.full_text() == "Checking alarms…"

    with qtbot.waitSignal(window.alarms_started):
        window.show()

    assert bar.message.full_text().startswith("HIGH · Chair 1 · Anna Müller · ")
    assert bar.more.text() == "+1 more"
    card = window.ward_view.cards[bed_id]
    assert card.property("alarm") == "high"
    assert card.alarm_label.isVisibleTo(card)
    messages = {alarm.message for alarm in window.watch.board.alarms(bed_id)}
    assert messages == {"Heart rate 150 /min, above 140", "SpO2 86 %, below 88"}


@pytest.fixture
def broken_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The shipped alarm rules replaced by a file with a negative staleness."""
    broken = tmp_path / "alarms.yaml"
    shipped = alarm_rules.default_rules_path().read_text(encoding="utf-8")
    broken.write_text(shipped.replace("stale_after_s: 60", "stale_after_s: -60", 1), "utf-8")
    monkeypatch.setattr(alarm_rules, "default_rules_path", lambda: broken)
    alarm_rules.default_alarm_rules.cache_clear()
    yield broken
    alarm_rules.default_alarm_rules.cache_clear()


def test_when_the_alarm_rules_cannot_be_read_the_bar_says_there_are_no_alarms(
    qtbot: QtBot, ward: Ward, day: Admission, broken_rules: Path
) -> None:
    window = MainWindow(ward, NURSE)
    qtbot.addWidget(window)
    bar = window.alarm_bar

    with qtbot.captureExceptions() as raised:
        window.show()
        qtbot.waitUntil(lambda: bar.message.full_text().startswith("NO ALARMS"))

    assert [type(error) for _, error, _ in raised] == [AlarmRulesFileError]
    assert "the alarm rules cannot be read" in bar.message.full_text()
    assert str(broken_rules) in bar.message.full_text()
    assert bar.property("alarm") == "high"
    assert not bar.pause_button.isVisibleTo(bar)


def test_a_high_alarm_flashes_fast_a_medium_one_slowly_a_low_one_not_at_all(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    bar = window.alarms.bar
    flasher = window.alarms.flasher

    def lit_over(steps: int) -> list[str]:
        seen = []
        for _ in range(steps):
            with qtbot.waitSignal(flasher.flashed, timeout=2000):
                pass
            seen.append(bar.property("lit"))
        return seen

    for values, changes_every in (({"hr": 150}, 1), ({"hr": 125}, 4), ({"temp": 38.2}, None)):
        window.watch.board.clear_chair(day.bed_id or "", window.ward.clock.now(), "test")
        reading(window, day, **values)
        qtbot.waitUntil(lambda: bar.shown is not None)
        seen = lit_over(9)
        changes = sum(a != b for a, b in itertools.pairwise(seen))
        if changes_every is None:
            assert changes == 0, seen  # low priority: steady
        else:
            assert changes == pytest.approx(8 / changes_every, abs=1), seen


def test_acknowledging_from_the_bar_names_the_nurse_and_keeps_the_alarm_in_view(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    reading(window, day, spo2=86)
    bar = window.alarms.bar
    qtbot.waitUntil(lambda: bar.shown is not None)

    with qtbot.waitSignal(bar.acknowledge_requested):
        qtbot.mouseClick(bar.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "seen by AB" in bar.message.full_text())

    assert not bar.acknowledge_button.isVisibleTo(bar)
    assert window.watch.board.sounding() is None
    [acknowledged] = [
        line for line in alarm_log(window.ward, day.id) if line.action is AlarmAction.ACKNOWLEDGED
    ]
    assert acknowledged.by == NURSE


def test_without_initials_an_alarm_cannot_be_acknowledged(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    reading(window, day, spo2=86)
    qtbot.waitUntil(lambda: window.alarms.bar.shown is not None)
    window.nurse_field.clear()

    qtbot.mouseClick(window.alarms.bar.acknowledge_button, Qt.MouseButton.LeftButton)

    [alarm] = window.watch.board.alarms()
    assert alarm.state is AlarmState.ACTIVE
    assert "initials" in window.statusBar().currentMessage()


def test_the_audio_pause_counts_down_and_a_new_alarm_still_sounds(
    qtbot: QtBot, window: MainWindow, day: Admission, clock: ManualClock
) -> None:
    reading(window, day, hr=150)
    bar = window.alarms.bar
    qtbot.waitUntil(lambda: bar.shown is not None)

    qtbot.mouseClick(bar.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.pause_button.text() == "Audio paused 2:00: resume")
    assert window.watch.board.sounding() is None
    assert bar.property("alarm") == "high"  # the visual signal stays

    clock.advance(timedelta(seconds=30))
    reading(window, day, spo2=86)
    qtbot.waitUntil(lambda: window.watch.board.sounding() is Priority.HIGH)
    window.tick()
    assert bar.pause_button.text() == "Audio paused 1:30: resume"

    clock.advance(timedelta(seconds=91))
    window.tick()
    assert bar.pause_button.text() == "Pause audio 2 min"


def test_the_day_view_lists_the_chairs_alarms_each_with_its_acknowledge(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    reading(window, day, hr=125, temp=38.3)
    qtbot.waitUntil(lambda: len(window.watch.board.alarms()) == 2)
    window.open_day(window.ward.beds()[0])
    view = window.day_view

    assert [text.split(" · ")[:2] for text in view.alarm_list.labels()] == [
        ["MEDIUM", "Heart rate 125 /min, above 120"],
        ["LOW", "Temperature 38.3 °C, above 37.9"],
    ]
    first = view.alarm_list.findChildren(type(window.alarms.bar.acknowledge_button))[0]
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "seen by AB" in view.alarm_list.labels()[0])


def test_a_high_blood_pressure_leads_to_the_warning_checklist(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    reading(window, day, sbp=188, dbp=98)
    qtbot.waitUntil(lambda: any(a.key == "warning" for a in window.watch.board.alarms()))
    window.open_day(window.ward.beds()[0])
    dialog = window.day_view.make_warning_dialog("blood pressure 188/98")
    qtbot.addWidget(dialog)

    dialog.save()  # nothing answered: refused beside every line, nothing stored
    assert all(label.isVisibleTo(dialog) for label in dialog.errors.values())
    assert warning_checks(window.ward.store, day.id) == []

    for sign in dialog.groups:
        dialog.answer(sign, present=sign == "speech")
    assert dialog.advice.isVisibleTo(dialog)
    assert dialog.advice.text() == STOP_ADVICE
    dialog.save()

    [check] = warning_checks(window.ward.store, day.id)
    assert (check.positive, check.by) == (["speech"], NURSE)
    qtbot.waitUntil(lambda: "Stop the infusion" in window.alarms.bar.message.full_text())


def test_go_to_chair_on_a_warning_opens_its_checklist_in_the_windows_language(
    qtbot: QtBot, qapp: QApplication, window: MainWindow, day: Admission
) -> None:
    assert install_translators(qapp, "de") == "de"
    try:
        reading(window, day, sbp=188, dbp=98)
        bar = window.alarms.bar
        qtbot.waitUntil(lambda: bar.shown is not None and bar.shown.key == "warning")
        assert bar.shown is not None
        german = translated(bar.shown.message)
        assert german.startswith("Blutdruck 188/98")
        asked: list[str] = []

        def answer_every_sign_no() -> None:
            dialog = QApplication.activeModalWidget()
            try:
                assert isinstance(dialog, WarningChecklistDialog)
                asked.extend(label.text() for label in dialog.findChildren(QLabel))
                for sign in dialog.groups:
                    dialog.answer(sign, present=False)
                dialog.save()
            finally:
                if dialog is not None and dialog.isVisible():
                    dialog.reject()  # never leave the test waiting on an open dialog

        QTimer.singleShot(0, answer_every_sign_no)
        qtbot.mouseClick(bar.open_button, Qt.MouseButton.LeftButton)

        assert any(german in text for text in asked)
        [check] = warning_checks(window.ward.store, day.id)
        assert check.trigger == german  # what the nurse read is what the record keeps
    finally:
        assert install_translators(qapp, "en") == "en"


def test_a_patients_own_limit_is_set_with_a_reason_in_the_limits_dialog(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    window.open_day(window.ward.beds()[0])
    dialog = window.day_view.make_limits_dialog()
    qtbot.addWidget(dialog)
    dialog.choose("hr", "high", Priority.MEDIUM)
    qtbot.keyClicks(dialog.value, "130")

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.reason_error.isVisibleTo(dialog)
    assert window.ward.store.current("alarm_limits") == []

    qtbot.keyClicks(dialog.reason, "resting heart rate 115 on steroid days")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    [row] = window.ward.store.current("alarm_limits")
    assert (row["value"], row["entered_by"]) == (130, NURSE)
    heart = next(
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "Heart rate"
    )
    assert dialog.table.item(heart, 2).text() == "medium 130, high 140 /min"


def test_the_day_view_shows_news2_of_the_latest_complete_set(
    qtbot: QtBot, window: MainWindow, day: Admission, clock: ManualClock
) -> None:
    window.open_day(window.ward.beds()[0])
    assert window.day_view.news2_label.text() == "NEWS2: no vital signs charted yet"

    window.ward.record_vitals(
        day,
        {
            "hr": 112,
            "sbp": 105,
            "dbp": 70,
            "temp": 38.5,
            "spo2": 93,
            "rr": 25,
            "acvpu": 0,
            "o2_flow": 0,
        },
        by=NURSE,
    )
    window.watch.on_charted_set(day)
    window.day_view.reload()

    text = window.day_view.news2_label.text()
    assert text.startswith("NEWS2 9 (high) at 08:00: Respiration rate 3, SpO2 2")
    assert text.endswith("continuous monitoring")


def test_the_screen_says_so_whenever_sound_cannot_play(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.alarms.sound is not None)
    sound = window.alarms.sound
    assert sound is not None
    notice = window.alarms.bar.sound_problem

    assert notice.isVisibleTo(window) == bool(sound.problem)
    if sound.problem:
        assert notice.text().startswith("NO ALARM SOUND")
        assert "on screen only" in notice.text()


def test_the_speaker_plays_the_most_urgent_audible_alarms_pattern(
    qtbot: QtBot, window: MainWindow, day: Admission
) -> None:
    qtbot.waitUntil(lambda: window.alarms.sound is not None)
    sound = window.alarms.sound
    assert sound is not None
    if sound.problem:
        pytest.skip(f"this machine has no sound to play (the screen says: {sound.problem})")

    def playing() -> set[Priority]:
        return {priority for priority, effect in sound.effects().items() if effect.isPlaying()}

    reading(window, day, hr=125)
    qtbot.waitUntil(lambda: playing() == {Priority.MEDIUM})
    reading(window, day, spo2=86)
    qtbot.waitUntil(lambda: playing() == {Priority.HIGH})

    window.watch.board.acknowledge_chair(day.bed_id or "", NURSE, window.ward.clock.now())
    qtbot.waitUntil(lambda: playing() == set())
