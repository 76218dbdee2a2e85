"""Choose a chair's bedside monitor: port and type, a test connection showing live values, connect.

The test connection listens on a worker thread (`alemmonitor.monitoring.probe`) and stores
nothing; what it hears reaches the dialog through Qt signals. Connect stores the choice in the
record, so the chair's monitor is read again after a restart, and starts reading it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from serial.tools import list_ports

from alemmonitor.errors import AlemMonitorError, EntryError
from alemmonitor.monitoring import ProbeResult, WardMonitors, probe
from alemmonitor.ward import Bed, Ward
from devices.base import driver_class, protocol_names
from devices.errors import DeviceError
from devices.readings import Reading
from devices.session import TROUBLE, LinkEvent, LinkState, ReadingBatch
from ui.dialogs import error_label
from ui.i18n import link_state_text, message_of, translated
from ui.worker_news import deliver

PROBE_SECONDS = 20.0
"""How long a test connection listens unless it is stopped or the nurse connects."""

TOUCH_PX = 44
BAUD_RATES = (2400, 4800, 9600, 19200, 38400, 57600, 115200)
"""The rates bedside monitors and their adapters use."""

# How a test connection shows each parameter, in the order a nurse reads a monitor.
_SHOWN = (
    ("spo2", "SpO2", "{:.0f} %"),
    ("pr", "PR", "{:.0f} /min"),
    ("hr", "HR", "{:.0f} /min"),
    ("rr", "RR", "{:.0f} /min"),
    ("temp", "T", "{:.1f} °C"),
    ("map", "MAP", "{:.0f} mmHg"),
)


def readings_text(latest: Mapping[str, Reading]) -> str:
    """The newest readings as a monitor shows them: 'SpO2 98 %, PR 77 /min, NIBP 120/80 mmHg'."""
    parts = [
        f"{label} {form.format(latest[key].value)}" for key, label, form in _SHOWN if key in latest
    ]
    if "sbp" in latest and "dbp" in latest:
        parts.append(f"NIBP {latest['sbp'].value:.0f}/{latest['dbp'].value:.0f} mmHg")
    return ", ".join(parts)


def ago_text(at: datetime, now: datetime) -> str:
    """How long ago something arrived: 'just now', '3 s ago', '2 min ago'."""
    seconds = int(max(0.0, (now - at).total_seconds()))
    if seconds < 1:
        return QCoreApplication.translate("MonitorDialog", "just now")
    if seconds < 60:
        return QCoreApplication.translate("MonitorDialog", "{seconds} s ago").format(
            seconds=seconds
        )
    return QCoreApplication.translate("MonitorDialog", "{minutes} min ago").format(
        minutes=seconds // 60
    )


def found_ports() -> list[tuple[str, str]]:
    """The serial ports of this laptop as (device, description), e.g. a USB-serial adapter."""
    return [(port.device, port.description) for port in sorted(list_ports.comports())]


class _ProbeNews(QObject):
    """Carries what a test connection hears from its threads to the GUI thread.

    Signals: `batch_received(ReadingBatch)`, `link_changed(LinkEvent)`, `finished(ProbeResult)`,
    `failed(message)`. Lives on the GUI thread; emitted from the worker and session threads.
    """

    batch_received = Signal(object)
    link_changed = Signal(object)
    finished = Signal(object)
    failed = Signal(str)


class MonitorDialog(QDialog):
    """One chair's monitor: choose port and type, test the connection, connect or disconnect.

    Signals: `connected(MonitorAssignment)` after Connect stored the choice and started reading,
    `disconnected()` after Disconnect, `probe_finished(ProbeResult)` when a test connection ended.
    Lives on the GUI thread; each test connection runs on a worker thread of its own.
    """

    connected = Signal(object)
    disconnected = Signal()
    probe_finished = Signal(object)

    def __init__(
        self,
        ward: Ward,
        monitors: WardMonitors,
        bed: Bed,
        nurse: str,
        parent: QWidget | None = None,
        *,
        probe_seconds: float = PROBE_SECONDS,
        ports: Callable[[], Iterable[tuple[str, str]]] = found_ports,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Monitor of {chair}").format(chair=bed.label))
        self.ward = ward
        self.monitors = monitors
        self.bed = bed
        self.nurse = nurse
        self.assignment = ward.monitor_assignment(bed)
        self.probe_seconds = probe_seconds
        self._ports = ports
        self._probe_stop: threading.Event | None = None
        self._probe_thread: threading.Thread | None = None
        self._after_probe: Callable[[], None] | None = None
        self._heard: dict[str, Reading] = {}
        self._heard_at: datetime | None = None
        self._news = _ProbeNews(self)
        self._news.batch_received.connect(self.on_batch_received)
        self._news.link_changed.connect(self.on_link_changed)
        self._news.finished.connect(self.on_probe_finished)
        self._news.failed.connect(self.on_probe_failed)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(1000)
        self._age_timer.timeout.connect(self._show_heard)

        self._build_choice()
        self._build_actions()
        self._build_layout()
        self._show_current()
        self.find_ports()

    def _build_choice(self) -> None:
        """The chair's current monitor, the port and the monitor type."""
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.port_list = QComboBox()
        self.port_list.setObjectName("portList")
        self.port_list.activated.connect(self._take_listed_port)
        self.find_button = QPushButton(self.tr("Find ports"))
        self.find_button.setToolTip(self.tr("Look again after plugging a cable in"))
        self.find_button.clicked.connect(self.find_ports)
        self.port_field = QLineEdit()
        self.port_field.setObjectName("portField")
        self.port_field.setPlaceholderText("COM3, /dev/ttyUSB0, socket://10.1.2.3:4001")
        self.port_field.setToolTip(
            self.tr(
                "The port the monitor's cable is plugged into, or any device path or network "
                "address"
            )
        )
        self.port_error = error_label()
        self.protocol_box = QComboBox()
        self.protocol_box.setObjectName("protocolBox")
        self.protocol_box.addItems(protocol_names())
        self.protocol_error = error_label()
        # The line settings: each monitor type's own by default; a site's adapter may differ.
        self.baud_box = QComboBox()
        self.baud_box.setObjectName("baudBox")
        for rate in BAUD_RATES:
            self.baud_box.addItem(f"{rate} baud", rate)
        self.parity_box = QComboBox()
        self.parity_box.setObjectName("parityBox")
        for code, name in (
            ("N", self.tr("no parity")),
            ("E", self.tr("even parity")),
            ("O", self.tr("odd parity")),
        ):
            self.parity_box.addItem(name, code)
        self.rtscts_box = QCheckBox(self.tr("RTS/CTS flow control"))
        self.rtscts_box.setObjectName("rtsctsBox")
        self.protocol_box.currentTextChanged.connect(self._show_line_settings)

    def _build_actions(self) -> None:
        """Test connection with its readout, connect, disconnect with a reason, close."""
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.link_label = QLabel()
        self.link_label.setObjectName("linkLabel")
        self.link_label.setWordWrap(True)
        self.live_label = QLabel()
        self.live_label.setObjectName("probeLive")
        self.live_label.setWordWrap(True)
        # Read at arm's length while the nurse checks the monitor's own screen beside it.
        self.live_label.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)

        self.connect_button = QPushButton(self.tr("Connect"))
        self.connect_button.setDefault(True)
        self.connect_button.clicked.connect(self.connect_monitor)
        self.reason_field = QLineEdit()
        self.reason_field.setObjectName("disconnectReason")
        self.reason_field.setPlaceholderText(self.tr("Why the monitor is disconnected"))
        self.reason_error = error_label()
        self.disconnect_button = QPushButton(self.tr("Disconnect"))
        self.disconnect_button.clicked.connect(self.disconnect_monitor)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        self.general_error = error_label()
        for widget in (
            self.port_list,
            self.find_button,
            self.port_field,
            self.protocol_box,
            self.baud_box,
            self.parity_box,
            self.rtscts_box,
            self.test_button,
            self.connect_button,
            self.reason_field,
            self.disconnect_button,
            self.close_button,
        ):
            widget.setMinimumHeight(TOUCH_PX)

    def _build_layout(self) -> None:
        ports = QHBoxLayout()
        ports.addWidget(self.port_list, 1)
        ports.addWidget(self.find_button)
        port_column = QVBoxLayout()
        port_column.addLayout(ports)
        port_column.addWidget(self.port_field)
        port_column.addWidget(self.port_error)
        protocol_column = QVBoxLayout()
        protocol_column.addWidget(self.protocol_box)
        protocol_column.addWidget(self.protocol_error)
        line = QHBoxLayout()
        line.addWidget(self.baud_box)
        line.addWidget(self.parity_box)
        line.addWidget(self.rtscts_box)
        form = QFormLayout()
        form.addRow(self.tr("Port"), port_column)
        form.addRow(self.tr("Monitor type"), protocol_column)
        form.addRow(self.tr("Line"), line)

        test = QVBoxLayout()
        test.addWidget(self.test_button)
        test.addWidget(self.link_label)
        test.addWidget(self.live_label)
        test.addWidget(self.summary_label)

        self.disconnect_row = QWidget()
        disconnect = QHBoxLayout(self.disconnect_row)
        disconnect.setContentsMargins(0, 0, 0, 0)
        disconnect.addWidget(self.reason_field, 1)
        disconnect.addWidget(self.disconnect_button)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.connect_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.current_label)
        layout.addLayout(form)
        layout.addLayout(test)
        layout.addWidget(self.disconnect_row)
        layout.addWidget(self.reason_error)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)

    # -- what the chair has -----------------------------------------------------------------

    def _show_current(self) -> None:
        """Say which monitor the chair has, and preset the fields to it."""
        assignment = self.assignment
        link = self.monitors.link(self.bed.id)
        if assignment is not None:
            when = self.ward.clock.local(assignment.assigned_at)
            text = self.tr(
                "{chair}: {protocol} monitor on {port}, connected by {nurse} at {time} on {date}."
            ).format(
                chair=self.bed.label,
                protocol=assignment.protocol,
                port=assignment.port,
                nurse=assignment.assigned_by,
                time=f"{when:%H:%M}",
                date=f"{when:%d.%m.%Y}",
            )
            self.port_field.setText(assignment.port)
            self.protocol_box.setCurrentText(assignment.protocol)
        elif link is not None:
            text = self.tr("{chair}: {protocol} monitor on {port} (not in the record).").format(
                chair=self.bed.label, protocol=link.protocol, port=link.port
            )
            self.port_field.setText(link.port)
            self.protocol_box.setCurrentText(link.protocol)
        else:
            text = self.tr("{chair} has no monitor connected.").format(chair=self.bed.label)
        if link is not None:
            text += " " + self.tr("Link: {state}.").format(state=link_state_text(link.state))
        self.current_label.setText(text)
        self._show_line_settings(self.protocol_box.currentText())
        self.disconnect_row.setVisible(assignment is not None or link is not None)

    def find_ports(self) -> None:
        """List the serial ports found on this laptop (after plugging a cable in, look again)."""
        self.port_list.clear()
        found = list(self._ports())
        if not found:
            self.port_list.addItem(
                self.tr("No serial port found: plug the cable in, or type the port")
            )
        else:
            self.port_list.addItem(self.tr("Choose a port found on this laptop…"))
        for device, description in found:
            text = device if description in ("", "n/a", device) else f"{device} — {description}"
            self.port_list.addItem(text, device)

    def _take_listed_port(self, index: int) -> None:
        device = self.port_list.itemData(index)
        if isinstance(device, str):
            self.port_field.setText(device)

    def _show_line_settings(self, protocol: str) -> None:
        """Show the line settings the monitor type uses, with the chair's own if it has them."""
        try:
            defaults = driver_class(protocol).serial
        except DeviceError:
            return  # an unknown type is refused when connecting, naming the known ones
        current = defaults
        if self.assignment is not None and self.assignment.protocol == protocol:
            current = defaults.overridden(**self.assignment.settings)
        index = self.baud_box.findData(current.baudrate)
        if index < 0:
            self.baud_box.addItem(f"{current.baudrate} baud", current.baudrate)
            index = self.baud_box.count() - 1
        self.baud_box.setCurrentIndex(index)
        self.parity_box.setCurrentIndex(self.parity_box.findData(current.parity))
        self.rtscts_box.setChecked(current.rtscts)

    def _settings(self, protocol: str) -> Mapping[str, Any]:
        """The line settings chosen that differ from the monitor type's own."""
        try:
            defaults = driver_class(protocol).serial
        except DeviceError:
            return {}
        chosen = {
            "baudrate": int(self.baud_box.currentData()),
            "parity": str(self.parity_box.currentData()),
            "rtscts": self.rtscts_box.isChecked(),
        }
        return {name: value for name, value in chosen.items() if getattr(defaults, name) != value}

    # -- test connection --------------------------------------------------------------------

    @property
    def testing(self) -> bool:
        """Whether a test connection is listening now."""
        return self._probe_thread is not None

    def test_connection(self) -> None:
        """Listen to the chosen port for a while, showing what arrives; or stop listening."""
        if self.testing:
            self._stop_probe()
            return
        self._clear_problems()
        port = self.port_field.text().strip()
        protocol = self.protocol_box.currentText()
        if not self._port_usable(port):
            return
        self._heard = {}
        self._heard_at = None
        self.live_label.setText(self.tr("Listening…"))
        self.link_label.clear()
        self.summary_label.clear()
        stop = threading.Event()
        news = self._news
        clock = self.ward.clock
        settings = dict(self._settings(protocol))
        seconds = self.probe_seconds

        def listen() -> None:
            try:
                result = probe(
                    protocol,
                    port,
                    seconds=seconds,
                    on_batch=lambda batch: deliver(news.batch_received, batch),
                    on_link=lambda event: deliver(news.link_changed, event),
                    settings=settings,
                    stop=stop,
                    wall=clock.now,
                    monotonic=clock.monotonic,
                )
            except DeviceError as exc:
                deliver(news.failed, str(exc))
                return
            deliver(news.finished, result)

        self._probe_stop = stop
        self._probe_thread = threading.Thread(
            target=listen, name=f"test connection {port}", daemon=True
        )
        self._probe_thread.start()
        self.test_button.setText(self.tr("Stop the test"))
        self._age_timer.start()

    def _stop_probe(self) -> None:
        if self._probe_stop is not None:
            self._probe_stop.set()

    def on_batch_received(self, batch: ReadingBatch) -> None:
        """Readings arrived during the test: show the newest of each."""
        if not batch.readings:
            return
        for reading in batch.readings:
            self._heard[reading.parameter.value] = reading
        self._heard_at = batch.received_at
        self._show_heard()

    def _show_heard(self) -> None:
        if self._heard_at is None:
            return
        now = self.ward.clock.now()
        self.live_label.setText(f"{readings_text(self._heard)} — {ago_text(self._heard_at, now)}")

    def on_link_changed(self, event: LinkEvent) -> None:
        """The test connection's link changed state: say what it is now."""
        if event.state is LinkState.STOPPED:
            return  # the test's own end, summed up when it has ended; the last state stays
        self.link_label.setText(
            self.tr("Link: {state} ({detail})").format(
                state=link_state_text(event.state), detail=event.detail
            )
        )
        self.link_label.setProperty("trouble", event.state in TROUBLE)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)

    def on_probe_finished(self, result: ProbeResult) -> None:
        """The test connection ended: sum up what it heard, then do what waited for it."""
        self._probe_done()
        if result.received:
            self.summary_label.setText(
                self.tr(
                    "Test ended: %n frames from {port}, {rejected} rejected.",
                    "",
                    result.frames_decoded,
                ).format(port=result.port, rejected=result.frames_rejected)
            )
        else:
            self.live_label.setText(self.tr("No readings"))
            self.summary_label.setText(
                self.tr(
                    "Nothing readable came from {port}: check the cable, the port, that the "
                    "monitor is on, and that it is a {protocol} monitor."
                ).format(port=result.port, protocol=result.protocol)
            )
        self.probe_finished.emit(result)
        self._run_after_probe()

    def on_probe_failed(self, message: str) -> None:
        """The test connection could not start (e.g. an unknown monitor type)."""
        self._probe_done()
        self.live_label.clear()
        self.protocol_error.setText(message)
        self.protocol_error.show()
        self._run_after_probe()

    def _probe_done(self) -> None:
        # The worker's last act was to send this news: it ends by itself, nobody waits for it.
        self._probe_thread = None
        self._probe_stop = None
        self._age_timer.stop()
        self.test_button.setText(self.tr("Test connection"))

    def _run_after_probe(self) -> None:
        after, self._after_probe = self._after_probe, None
        if after is not None:
            after()

    def _when_probe_ended(self, action: Callable[[], None]) -> None:
        """Do `action` now, or once the test connection has let go of the port."""
        if not self.testing:
            action()
            return
        self._after_probe = action
        self._stop_probe()

    # -- connect and disconnect -------------------------------------------------------------

    def connect_monitor(self) -> None:
        """Store the chosen monitor for the chair and start reading it."""
        self._clear_problems()
        if not self.nurse.strip():
            self._fail(self.tr("Enter your initials as the nurse on duty first."))
            return
        port = self.port_field.text().strip()
        if port and not self._port_usable(port, for_connect=True):
            return
        self.connect_button.setEnabled(False)
        self._when_probe_ended(self._connect_now)

    def _connect_now(self) -> None:
        self.connect_button.setEnabled(True)
        protocol = self.protocol_box.currentText()
        port = self.port_field.text()
        try:
            assignment = self.ward.assign_monitor(
                self.bed, protocol, port, by=self.nurse, settings=self._settings(protocol)
            )
            self.monitors.connect(
                self.bed, assignment.protocol, assignment.port, settings=assignment.settings
            )
        except EntryError as exc:
            self._show_problems(exc)
            return
        except (AlemMonitorError, DeviceError) as exc:
            self._fail(message_of(exc))
            return
        self.assignment = assignment
        self.connected.emit(assignment)
        self.accept()

    def disconnect_monitor(self) -> None:
        """Stop reading the chair's monitor and take it off the chair in the record, with why."""
        self._clear_problems()
        reason = self.reason_field.text().strip()
        if not reason:
            self.reason_error.setText(self.tr("Say why the monitor is disconnected."))
            self.reason_error.show()
            return
        try:
            if self.ward.monitor_assignment(self.bed) is not None:
                self.ward.unassign_monitor(self.bed, by=self.nurse, reason=reason)
        except EntryError as exc:
            self._show_problems(exc)
            return
        except AlemMonitorError as exc:
            self._fail(message_of(exc))
            return
        self.monitors.disconnect(self.bed)
        self.assignment = None
        self.disconnected.emit()
        self.accept()

    def done(self, result: int) -> None:
        """Close once a running test connection has let go of the port."""
        self._when_probe_ended(lambda: QDialog.done(self, result))

    # -- problems ---------------------------------------------------------------------------

    def _port_usable(self, port: str, *, for_connect: bool = False) -> bool:
        """Whether `port` may be listened to now; says why not beside the port."""
        if not port:
            self._port_problem(self.tr("Choose the monitor's port, or type its path or address."))
            return False
        reader = self.monitors.chair_reading(port)
        if reader is None or (for_connect and reader == self.bed.id):
            return True
        if reader == self.bed.id:
            self._port_problem(
                self.tr("{chair} reads {port} already: its values are on the chair's card.").format(
                    chair=self.bed.label, port=port
                )
            )
        else:
            label = next(
                (b.label for b in self.ward.beds() if b.id == reader), self.tr("another chair")
            )
            self._port_problem(
                self.tr("{port} is read by the monitor of {chair}.").format(port=port, chair=label)
            )
        return False

    def _port_problem(self, message: str) -> None:
        self.port_error.setText(message)
        self.port_error.show()

    def _show_problems(self, error: EntryError) -> None:
        labels = {
            "port": self.port_error,
            "protocol": self.protocol_error,
            "reason": self.reason_error,
        }
        for problem in error.problems:
            label = labels.get(problem.field, self.general_error)
            label.setText(translated(problem.message))
            label.show()

    def _fail(self, message: str) -> None:
        self.general_error.setText(message)
        self.general_error.show()

    def _clear_problems(self) -> None:
        for label in (self.port_error, self.protocol_error, self.reason_error, self.general_error):
            label.hide()
