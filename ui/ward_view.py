"""The ward overview: one card per chair, showing who sits there and what is due next."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.display import countdown_text, duration_text, vitals_parts
from alemmonitor.infusion_day import DayStatus, InfusionState, TaskState
from alemmonitor.monitoring import LatestValue, MonitorLink, WardMonitors
from alemmonitor.ward import Bed, ChairView
from devices.session import TROUBLE, LinkState
from ui.alarm_view import ElidedLabel, Flasher, alarm_text, set_alarm_look
from ui.i18n import link_state_text, translated

if TYPE_CHECKING:
    from alemmonitor.alarms import Alarm

COLUMNS = 3


class ChairCard(QFrame):
    """One chair: patient, course and day, current step, infusion progress, next task due.

    Signals: `start_requested(Bed)` when the nurse asks to start a day on a free chair,
    `open_requested(Bed)` when the card of an occupied chair is tapped, `monitor_requested(Bed)`
    to choose the chair's monitor, `discharge_requested(Bed)` to let the patient leave the chair.
    Lives on the GUI thread.
    """

    start_requested = Signal(object)
    open_requested = Signal(object)
    monitor_requested = Signal(object)
    discharge_requested = Signal(object)

    def __init__(self, bed: Bed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bed = bed
        self.setObjectName("chairCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumSize(380, 250)

        self.chair_label = _label("chairLabel", bed.label)
        self.course_label = _label("courseLabel")
        self.patient_label = _label("patientLabel", wrap=True)
        self.step_label = _label("stepLabel")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress_label = _label("progressLabel", wrap=True)
        self.vitals_label = _label("vitalsLabel", wrap=True)
        self.vitals_label.setTextFormat(Qt.TextFormat.RichText)
        self.link_label = _label("linkLabel")
        self.next_label = _label("nextLabel", wrap=True)
        self.countdown_label = _label("countdownLabel")
        self.alarm_label = ElidedLabel()
        self.alarm_label.setObjectName("cardAlarm")
        self.alarm_label.hide()
        self.alarms: list[Alarm] = []

        header = QHBoxLayout()
        header.addWidget(self.chair_label)
        header.addStretch(1)
        header.addWidget(self.course_label)
        layout = QVBoxLayout(self)
        # Tight enough that a chair with an alarm line still fits six to a 1366 x 768 screen.
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        layout.addLayout(header)
        layout.addWidget(self.alarm_label)
        layout.addWidget(self.patient_label)
        layout.addWidget(self.step_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.vitals_label)
        layout.addWidget(self.link_label)
        layout.addStretch(1)
        layout.addWidget(self.next_label)
        layout.addWidget(self.countdown_label)
        layout.addLayout(self._build_buttons())

    def _build_buttons(self) -> QHBoxLayout:
        """Start a day (free chair) or discharge (occupied), and the chair's monitor."""
        self.start_button = QPushButton(self.tr("Start a day here"))
        self.start_button.clicked.connect(lambda: self.start_requested.emit(self.bed))
        self.discharge_button = QPushButton(self.tr("Discharge…"))
        self.discharge_button.setToolTip(
            self.tr("The patient leaves the chair; the day stays recorded")
        )
        self.discharge_button.clicked.connect(lambda: self.discharge_requested.emit(self.bed))
        self.monitor_button = QPushButton(self.tr("Monitor…"))
        self.monitor_button.setToolTip(
            self.tr("Choose, test and connect the chair's bedside monitor")
        )
        self.monitor_button.clicked.connect(lambda: self.monitor_requested.emit(self.bed))
        buttons = QHBoxLayout()
        for button, stretch in (
            (self.start_button, 1),
            (self.discharge_button, 1),
            (self.monitor_button, 0),
        ):
            button.setMinimumHeight(44)
            buttons.addWidget(button, stretch)
        return buttons

    def show_monitor(
        self, latest: dict[str, LatestValue], link: MonitorLink | None, now: datetime
    ) -> None:
        """Show the chair's latest vital signs (stale ones greyed with their age) and its link."""
        parts = vitals_parts(latest, now)
        self.vitals_label.setText(
            "  ".join(
                f'<span style="color:#8a8f98">{translated(label)} '
                f"{html.escape(translated(text))}</span>"
                if stale
                else f"<b>{translated(label)}</b> {html.escape(translated(text))}"
                for label, text, stale in parts
            )
        )
        self.vitals_label.setVisible(bool(parts))
        if link is None:
            self.link_label.hide()
            return
        trouble = link.state in TROUBLE
        state = self.tr("Monitor {protocol}: {state}").format(
            protocol=link.protocol, state=link_state_text(link.state)
        )
        self.link_label.setText(f"{state} ({link.detail})" if trouble else state)
        self.link_label.setProperty("trouble", trouble)
        self.link_label.style().unpolish(self.link_label)
        self.link_label.style().polish(self.link_label)
        # A link delivering values speaks through the live values; the line is for the others.
        self.link_label.setVisible(link.state is not LinkState.RECEIVING)

    def show_chair(self, view: ChairView, status: DayStatus | None, now: datetime) -> None:
        """Show the chair's state at `now`."""
        admission = view.admission
        occupied = admission is not None and status is not None
        for widget in (self.progress, self.progress_label, self.next_label, self.countdown_label):
            widget.setVisible(occupied)
        self.start_button.setVisible(not occupied)
        self.discharge_button.setVisible(occupied)
        if admission is None or status is None:
            self.course_label.clear()
            self.patient_label.setText(self.tr("Free"))
            self.step_label.clear()
            self._set_state("free")
            return
        patient = admission.patient
        self.course_label.setText(translated(admission.course_text))
        self.patient_label.setText(f"{patient.name}  ·  {patient.hospital_id}")
        self.step_label.setText(translated(status.step.text))

        share = status.volume_infused_ml / status.volume_ml if status.volume_ml else 0.0
        self.progress.setValue(round(100 * share))
        self.progress.setFormat(
            self.tr("{infused:.0f} of {volume:g} mL").format(
                infused=status.volume_infused_ml, volume=status.volume_ml
            )
        )
        self.progress_label.setText(_progress_text(status, now))

        task = status.next_task
        if task is None:
            self.next_label.setText(self.tr("Nothing left to do"))
            self.countdown_label.clear()
            self._set_state("done")
            return
        self.next_label.setText(self.tr("Next: {task}").format(task=translated(task.title)))
        self.countdown_label.setText(translated(countdown_text(task.planned_at, now)))
        self._set_state(task.state.value if task.state is not TaskState.PENDING else "normal")

    def show_alarms(self, alarms: list[Alarm], now: datetime, flasher: Flasher) -> None:
        """Show the chair's most urgent alarm (and how many more) in its colour."""
        self.alarms = alarms
        if not alarms:
            self.alarm_label.hide()
        else:
            more = len(alarms) - 1
            text = alarm_text(alarms[0], now)
            if more:
                text += self.tr("  (+%n more)", "", more)
            self.alarm_label.set_full_text(text)
            self.alarm_label.show()
        self.flash(flasher)

    def flash(self, flasher: Flasher) -> None:
        """Light or darken the card's alarm colour at the flasher's step."""
        top = self.alarms[0].priority if self.alarms else None
        lit = flasher.lit(top)
        set_alarm_look(self, top, lit=lit)
        set_alarm_look(self.alarm_label, top, lit=lit)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        """A tap on an occupied chair's card opens the patient's day."""
        if event.button() is Qt.MouseButton.LeftButton and self.property("state") != "free":
            self.open_requested.emit(self.bed)
        super().mouseReleaseEvent(event)

    def _set_state(self, state: str) -> None:
        """Colour the card by what it needs: the style sheet keys on the `state` property."""
        if self.property("state") != state:
            self.setProperty("state", state)
            # Style rules are matched when a widget is polished, and a child's rule that keys on
            # its card (`#chairCard[state="overdue"] #countdownLabel`) is not matched again when
            # the card's property changes; a label is often polished before its card has a
            # state at all. Setting the card's own (empty) style sheet restyles the card and
            # all its children, for a fraction of a millisecond, and unlike QStyle.polish it
            # does not load Qt's QStyle class into Python before the first paint.
            self.setStyleSheet(f"/* {state} */")


def _day_id(view: ChairView) -> str | None:
    """The id of the patient's day on the chair (None: a free chair)."""
    return view.admission.id if view.admission is not None else None


def _label(name: str, text: str = "", *, wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _progress_text(status: DayStatus, now: datetime) -> str:
    state = status.infusion_state
    if state is InfusionState.NOT_STARTED:
        return QCoreApplication.translate("ChairCard", "Infusion not started")
    if state in (InfusionState.COMPLETED, InfusionState.STOPPED):
        ended = status.infusion_ended_at
        ago = duration_text(now - ended) if ended else ""
        template = (
            QCoreApplication.translate("ChairCard", "Infusion completed {ago} ago; ran {elapsed}")
            if state is InfusionState.COMPLETED
            else QCoreApplication.translate(
                "ChairCard", "Infusion stopped early {ago} ago; ran {elapsed}"
            )
        )
        return template.format(ago=ago, elapsed=duration_text(status.elapsed))
    remaining = duration_text(status.remaining) if status.remaining is not None else "?"
    running = QCoreApplication.translate(
        "ChairCard", "Ran {elapsed}, {remaining} to go at {rate:g} mL/h"
    ).format(elapsed=duration_text(status.elapsed), remaining=remaining, rate=status.rate_ml_h)
    if state is InfusionState.PAUSED:
        return QCoreApplication.translate("ChairCard", "Paused. {progress}").format(
            progress=running
        )
    return running


class WardView(QWidget):
    """All chairs of the unit in a grid; fits six on a 1366 x 768 screen.

    Signals: `start_requested(Bed)`, `open_requested(Bed)`, `monitor_requested(Bed)`,
    `discharge_requested(Bed)`, passed on from the cards. Lives on the GUI thread.
    """

    start_requested = Signal(object)
    open_requested = Signal(object)
    monitor_requested = Signal(object)
    discharge_requested = Signal(object)

    def __init__(self, monitors: WardMonitors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.monitors = monitors
        self._grid = QGridLayout(self)
        self._grid.setSpacing(10)
        self.cards: dict[str, ChairCard] = {}
        self._views: list[ChairView] = []

    def set_chairs(self, views: list[ChairView], now: datetime) -> None:
        """Show these chairs (rebuilding the cards only when the chairs themselves change)."""
        if [v.bed for v in views] != [v.bed for v in self._views]:
            for card in self.cards.values():
                card.setParent(None)
                card.deleteLater()
            self.cards = {}
            for index, view in enumerate(views):
                card = ChairCard(view.bed, self)
                card.start_requested.connect(self.start_requested)
                card.open_requested.connect(self.open_requested)
                card.monitor_requested.connect(self.monitor_requested)
                card.discharge_requested.connect(self.discharge_requested)
                self._grid.addWidget(card, index // COLUMNS, index % COLUMNS)
                self.cards[view.bed.id] = card
        self._views = views
        self.tick(now)

    def show_alarms(
        self, by_chair: dict[str, list[Alarm]], now: datetime, flasher: Flasher
    ) -> None:
        """Show each chair's alarms on its card."""
        for bed_id, card in self.cards.items():
            card.show_alarms(by_chair.get(bed_id, []), now, flasher)

    def flash(self, flasher: Flasher) -> None:
        """Move every card's flashing on one step."""
        for card in self.cards.values():
            if card.alarms:
                card.flash(flasher)

    def show_chair_monitor(self, bed_id: str, now: datetime) -> None:
        """Repaint one chair's vital signs and link (its monitor reported something)."""
        card = self.cards.get(bed_id)
        view = next((v for v in self._views if v.bed.id == bed_id), None)
        if card is not None and view is not None:
            card.show_monitor(
                self.monitors.latest(bed_id, _day_id(view)), self.monitors.link(bed_id), now
            )

    def tick(self, now: datetime) -> None:
        """Recompute every chair's state at `now` (no disk access: the days are in memory)."""
        for view in self._views:
            card = self.cards[view.bed.id]
            card.show_chair(view, view.status(now), now)
            card.show_monitor(
                self.monitors.latest(view.bed.id, _day_id(view)),
                self.monitors.link(view.bed.id),
                now,
            )
