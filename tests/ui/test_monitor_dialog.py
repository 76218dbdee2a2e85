"""A chair's monitor chosen through the real widgets, against a simulated monitor on a real pty:
test connection, connect, disconnect, a restart; and a patient discharged from the card."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock
from alemmonitor.infusion_day import EventKind
from alemmonitor.monitoring import ProbeResult, WardMonitors
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import Protocol
from alemmonitor.store import Store
from alemmonitor.ward import Admission, Bed, Ward
from ui.app import run_app
from ui.dialogs import DischargeDialog
from ui.main_window import MainWindow
from ui.monitor_dialog import MonitorDialog, ago_text

NURSE = "AB"
LIVE = re.compile(r"^SpO2 \d+ %, PR \d+ /min — just now$")


@pytest.fixture
def chairs(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(6, NURSE)


@pytest.fixture
def link(tmp_path: Path) -> Path:
    """Where the simulated monitor's USB-serial adapter appears."""
    return tmp_path / "ttyUSB0"


@pytest.fixture
def monitors(ward: Ward, chairs: list[Bed]) -> Iterator[WardMonitors]:
    """The ward's monitors, on a unit with its chairs set up."""
    del chairs
    monitors = WardMonitors(ward)
    yield monitors
    monitors.stop()


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isVisibleTo(button.window())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(qtbot: QtBot, dialog: MonitorDialog, port: Path | str, protocol: str) -> None:
    dialog.port_field.clear()
    qtbot.keyClicks(dialog.port_field, str(port))
    dialog.protocol_box.setCurrentText(protocol)


def stored(ward: Ward, table: str) -> list[dict[str, Any]]:
    return ward.store.query(f"SELECT * FROM {table}")  # noqa: S608 - our own table names


def admit(ward: Ward, bed: Bed) -> Admission:
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    return ward.admit(
        patient, course_number=1, day_number=4, bed=bed, planned_start=ward.clock.now(), by=NURSE
    )


# -- test connection ---------------------------------------------------------------------------


def test_a_test_connection_shows_the_monitors_live_values_and_stores_nothing(
    qtbot: QtBot, ward: Ward, monitors: WardMonitors, link: Path, simulated_monitor: Any
) -> None:
    chairs = ward.beds()
    dialog = MonitorDialog(ward, monitors, chairs[1], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_label.text() == "Chair 2 has no monitor connected."

    with simulated_monitor("masimo", link):
        choose(qtbot, dialog, link, "masimo")
        click(qtbot, dialog.test_button)
        assert dialog.testing
        assert dialog.test_button.text() == "Stop the test"
        qtbot.waitUntil(lambda: LIVE.match(dialog.live_label.text()) is not None, timeout=10000)
        assert dialog.link_label.text() == "Link: receiving (valid frames arriving)"
        assert dialog.link_label.property("trouble") is False

        with qtbot.waitSignal(dialog.probe_finished, timeout=5000) as finished:
            click(qtbot, dialog.test_button)

    result = finished.args[0]
    assert isinstance(result, ProbeResult)
    assert result.received
    assert result.port == str(link)
    assert not dialog.testing
    assert dialog.test_button.text() == "Test connection"
    assert dialog.summary_label.text().startswith("Test ended:")
    assert "0 rejected" in dialog.summary_label.text()
    # Listening is not connecting: the record and the chair are untouched.
    for table in ("observations", "device_events", "monitor_links"):
        assert stored(ward, table) == []
    assert monitors.link(chairs[1].id) is None


def test_a_test_connection_on_a_port_with_nothing_behind_it_says_what_to_check(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors, tmp_path: Path
) -> None:
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE, probe_seconds=0.3)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog, tmp_path / "ttyUSB9", "hl7")

    with qtbot.waitSignal(dialog.probe_finished, timeout=5000):
        click(qtbot, dialog.test_button)

    assert dialog.link_label.text().startswith("Link: port unavailable (cannot open ")
    assert dialog.link_label.property("trouble") is True
    assert dialog.live_label.text() == "No readings"
    assert "check the cable, the port" in dialog.summary_label.text()
    assert "hl7 monitor" in dialog.summary_label.text()


def test_a_test_needs_a_port(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()

    click(qtbot, dialog.test_button)

    assert not dialog.testing
    assert dialog.port_error.isVisibleTo(dialog)
    assert "Choose the monitor's port" in dialog.port_error.text()


def test_a_port_found_on_the_laptop_is_chosen_from_the_list(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    found = [("/dev/ttyUSB0", "FT232R USB UART"), ("/dev/ttyS0", "n/a")]
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE, ports=lambda: found)
    qtbot.addWidget(dialog)
    dialog.show()
    items = [dialog.port_list.itemText(i) for i in range(dialog.port_list.count())]
    assert items == [
        "Choose a port found on this laptop…",
        "/dev/ttyUSB0 — FT232R USB UART",
        "/dev/ttyS0",
    ]

    dialog.port_list.setFocus()
    qtbot.keyClick(dialog.port_list, Qt.Key.Key_Down)

    assert dialog.port_field.text() == "/dev/ttyUSB0"


def test_with_no_port_found_the_list_says_to_plug_in_or_type(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE, ports=list)
    qtbot.addWidget(dialog)
    assert dialog.port_list.itemText(0).startswith("No serial port found")
    assert dialog.port_list.count() == 1


def test_every_control_is_big_enough_to_touch(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    ward.assign_monitor(chairs[0], "masimo", "COM3", by=NURSE)
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    controls = [
        dialog.port_list,
        dialog.find_button,
        dialog.port_field,
        dialog.protocol_box,
        dialog.test_button,
        dialog.connect_button,
        dialog.reason_field,
        dialog.disconnect_button,
        dialog.close_button,
    ]
    for control in controls:
        assert control.isVisible(), control.objectName()
        assert control.height() >= 44


# -- connect, disconnect, restart --------------------------------------------------------------


def test_connect_from_the_card_stores_the_monitor_and_its_values_reach_the_card(
    qtbot: QtBot, ward: Ward, monitors: WardMonitors, link: Path, simulated_monitor: Any
) -> None:
    chairs = ward.beds()
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.show()
    card = window.ward_view.cards[chairs[2].id]

    with simulated_monitor("masimo", link):
        click(qtbot, card.monitor_button)
        dialog = window.findChild(MonitorDialog)
        assert isinstance(dialog, MonitorDialog)
        assert dialog.isVisible()
        assert dialog.bed == chairs[2]
        choose(qtbot, dialog, link, "masimo")
        click(qtbot, dialog.test_button)
        qtbot.waitUntil(lambda: LIVE.match(dialog.live_label.text()) is not None, timeout=10000)

        # Connect while the test listens: the test lets go of the port first.
        with qtbot.waitSignal(dialog.connected, timeout=5000) as connected:
            click(qtbot, dialog.connect_button)
        assert not dialog.isVisible()
        [assignment] = ward.monitor_assignments()
        assert connected.args == [assignment]
        assert (assignment.bed, assignment.protocol, assignment.port) == (
            chairs[2],
            "masimo",
            str(link),
        )
        assert (assignment.assigned_by, assignment.assigned_at) == (NURSE, ward.clock.now())

        qtbot.waitUntil(lambda: "SpO2" in card.vitals_label.text(), timeout=10000)
        qtbot.waitUntil(
            lambda: card.link_label.text() == "Monitor masimo: receiving", timeout=10000
        )
        assert re.search(r"<b>PR</b> \d+", card.vitals_label.text())
        assert "connected" in window.statusBar().currentMessage()
        monitors.stop()

    readings = stored(ward, "observations")
    assert readings
    assert {row["bed_id"] for row in readings} == {chairs[2].id}
    assert {row["parameter"] for row in readings} == {"spo2", "pr"}


def test_a_port_another_chair_uses_is_refused_beside_the_port(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    ward.assign_monitor(chairs[0], "masimo", "COM7", by=NURSE)
    dialog = MonitorDialog(ward, monitors, chairs[1], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog, "COM7", "hl7")

    click(qtbot, dialog.connect_button)

    assert dialog.isVisible()
    assert dialog.port_error.text() == "COM7 already feeds Chair 1; disconnect it there first"
    assert [a.bed for a in ward.monitor_assignments()] == [chairs[0]]
    assert monitors.link(chairs[1].id) is None


def test_disconnect_needs_a_reason_then_takes_the_monitor_off_the_chair(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors, tmp_path: Path
) -> None:
    assignment = ward.assign_monitor(chairs[0], "masimo", str(tmp_path / "absent"), by="CD")
    monitors.connect(chairs[0], assignment.protocol, assignment.port)
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.current_label.text().startswith(
        f"Chair 1: masimo monitor on {tmp_path / 'absent'}, connected by CD at 08:00"
    )
    assert dialog.port_field.text() == assignment.port

    click(qtbot, dialog.disconnect_button)
    assert dialog.reason_error.isVisibleTo(dialog)
    assert ward.monitor_assignments() == [assignment]

    qtbot.keyClicks(dialog.reason_field, "monitor taken to chair 4")
    with qtbot.waitSignal(dialog.disconnected, timeout=5000):
        click(qtbot, dialog.disconnect_button)

    assert ward.monitor_assignments() == []
    assert monitors.link(chairs[0].id) is None
    *_, void = ward.store.history("monitor_links", assignment.id)
    assert (void["voided"], void["entered_by"], void["correction_reason"]) == (
        1,
        NURSE,
        "monitor taken to chair 4",
    )


def test_after_a_restart_the_app_reads_each_chairs_monitor_again(
    qtbot: QtBot, tmp_path: Path, protocol: Protocol, clock: ManualClock, simulated_monitor: Any
) -> None:
    db = tmp_path / "ward.sqlite3"
    link = tmp_path / "ttyUSB0"
    with Store.open(db, clock) as store:
        ward = Ward(store, protocol, clock)
        chair = ward.ensure_beds(6, NURSE)[3]
        ward.assign_monitor(chair, "masimo", str(link), by=NURSE)

    seen: list[str] = []
    give_up = time.monotonic() + 15

    def watch() -> None:
        # run_app runs its own event loop: the test looks at the window from a timer in it.
        window = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None
        )
        if window is None or not window.isVisible():
            return
        card = window.ward_view.cards[chair.id]
        if "SpO2" in card.vitals_label.text() or time.monotonic() > give_up:
            seen.append(card.vitals_label.text())
            seen.append(card.link_label.text())
            window.close()

    watcher = QTimer()
    watcher.setInterval(50)
    watcher.timeout.connect(watch)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    try:
        with simulated_monitor("masimo", link), Store.open(db, clock) as store:
            watcher.start()
            assert run_app(Ward(store, protocol, clock), nurse=NURSE, language="en") == 0
    finally:
        watcher.stop()
        app.setStyleSheet("")

    vitals, link_text = seen
    assert "SpO2" in vitals
    assert link_text.startswith("Monitor masimo:")


# -- discharge ---------------------------------------------------------------------------------


def test_discharge_from_the_card_asks_why_before_the_end_and_frees_the_chair(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    admission = admit(ward, chairs[1])
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.show()
    card = window.ward_view.cards[chairs[1].id]
    assert card.patient_label.text() == "Anna Schmidt  ·  4711"
    assert not card.start_button.isVisibleTo(card)
    assert card.monitor_button.isVisibleTo(card)

    click(qtbot, card.discharge_button)
    dialog = window.findChild(DischargeDialog)
    assert isinstance(dialog, DischargeDialog)
    assert dialog.isVisible()
    box = dialog.findChild(QDialogButtonBox)
    discharge = box.button(QDialogButtonBox.StandardButton.Ok)
    assert discharge.text() == "Discharge"
    click(qtbot, discharge)
    assert dialog.isVisible()
    assert dialog.reason_error.isVisibleTo(dialog)
    assert "observation has not ended" in dialog.reason_error.text()
    assert ward.chairs()[1].admission == admission

    qtbot.keyClicks(dialog.reason_field, "infusion postponed: fever")
    click(qtbot, discharge)

    assert not dialog.isVisible()
    assert card.patient_label.text() == "Free"
    assert card.start_button.isVisibleTo(card)
    assert not card.discharge_button.isVisibleTo(card)
    assert card.property("state") == "free"
    assert ward.chairs()[1].admission is None
    [day] = ward.admissions_on(admission.date)
    assert day.bed_id is None
    assert "Anna Schmidt discharged from Chair 2" in window.statusBar().currentMessage()


def test_discharge_after_a_complete_day_needs_no_reason(
    qtbot: QtBot, ward: Ward, clock: ManualClock, chairs: list[Bed], monitors: WardMonitors
) -> None:
    admission = admit(ward, chairs[0])
    ward.record(admission, EventKind.INFUSION_STARTED, by=NURSE, batch="B-1", checked_by="CD")
    clock.advance(timedelta(hours=4))
    ward.record(admission, EventKind.INFUSION_COMPLETED, by=NURSE)
    clock.advance(timedelta(hours=2))
    ward.record(admission, EventKind.OBSERVATION_ENDED, by=NURSE)
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.show()

    dialog = window.discharge_chair(chairs[0])
    assert dialog is not None
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

    assert ward.chairs()[0].admission is None
    *_, discharged = ward.store.history("infusion_days", admission.id)
    assert discharged["correction_reason"] == "discharged"


def test_discharge_from_the_day_view_returns_to_the_ward(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    admit(ward, chairs[0])
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.show()
    window.open_day(chairs[0])
    assert window.pages.currentWidget() is window.day_view

    click(qtbot, window.day_view.discharge_button)
    dialog = window.findChild(DischargeDialog)
    assert isinstance(dialog, DischargeDialog)
    qtbot.keyClicks(dialog.reason_field, "transferred to the ward")
    click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))

    assert window.pages.currentWidget() is window.ward_view
    assert window.ward_view.cards[chairs[0].id].patient_label.text() == "Free"


def test_every_card_has_a_monitor_button_big_enough_to_touch(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    admit(ward, chairs[0])
    window = MainWindow(ward, NURSE, monitors=monitors)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    buttons: list[QWidget] = []
    for card in window.ward_view.cards.values():
        assert card.monitor_button.isVisible()
        buttons.append(card.monitor_button)
    occupied = window.ward_view.cards[chairs[0].id]
    assert occupied.discharge_button.isVisible()
    buttons.append(occupied.discharge_button)
    assert all(button.height() >= 44 for button in buttons)


def test_ages_read_as_a_nurse_says_them() -> None:
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert ago_text(now, now) == "just now"
    assert ago_text(now - timedelta(seconds=3), now) == "3 s ago"
    assert ago_text(now - timedelta(seconds=150), now) == "2 min ago"


def test_each_monitor_type_brings_its_line_settings_and_a_changed_one_is_kept(
    qtbot: QtBot, ward: Ward, chairs: list[Bed], monitors: WardMonitors
) -> None:
    dialog = MonitorDialog(ward, monitors, chairs[0], NURSE)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(qtbot, dialog, "COM9", "s5")
    assert dialog.baud_box.currentData() == 19200
    assert dialog.parity_box.currentData() == "E"
    assert dialog.rtscts_box.isChecked()
    choose(qtbot, dialog, "COM9", "masimo")
    assert (dialog.baud_box.currentData(), dialog.parity_box.currentData()) == (9600, "N")
    assert not dialog.rtscts_box.isChecked()

    # A CARESCAPE with newer software talks at 115200.
    choose(qtbot, dialog, "COM9", "s5")
    dialog.baud_box.setCurrentIndex(dialog.baud_box.findData(115200))
    click(qtbot, dialog.connect_button)

    assignment = ward.monitor_assignment(chairs[0])
    assert assignment is not None
    assert (assignment.protocol, assignment.settings) == ("s5", {"baudrate": 115200})
    again = MonitorDialog(ward, monitors, chairs[0], NURSE)
    qtbot.addWidget(again)
    assert again.baud_box.currentData() == 115200
    assert again.parity_box.currentData() == "E"
    assert again.rtscts_box.isChecked()
