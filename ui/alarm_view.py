"""How alarms look: the ward's alarm bar, a chair's alarm list, and flashing.

Colours and flashing follow IEC 60601-1-8 (REFERENCE.md §6): high red, flashing at 2 Hz; medium
yellow, flashing at 0.5 Hz; low cyan, steady. Widgets show an alarm through two dynamic
properties the style sheet keys on: `alarm` ("high", "medium", "low" or "") and `lit`.

The alarm bar is on screen from the first paint; the alarm engine (`ui.alarm_desk`) starts just
after it, so this module loads none of it until an alarm is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.display import age_text
from ui.i18n import translated

if TYPE_CHECKING:
    from alemmonitor.alarm_rules import Priority
    from alemmonitor.alarms import Alarm

BLINK_MS = 250
"""The flasher's step: high alarms change every step (2 Hz), medium every 4th (0.5 Hz)."""


def set_alarm_look(widget: QWidget, priority: Priority | None, *, lit: bool) -> None:
    """Give `widget` the look of an alarm of `priority` (None: no alarm), lit or dark."""
    alarm = priority.label if priority is not None else ""
    lit_text = "true" if lit else "false"
    if widget.property("alarm") == alarm and widget.property("lit") == lit_text:
        return
    widget.setProperty("alarm", alarm)
    widget.setProperty("lit", lit_text)
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return  # its first polish, when it is shown, reads the properties (see ChairCard)
    # Style rules that key on a parent's properties reach its labels only when they are
    # polished again too.
    for each in (widget, *widget.findChildren(QLabel)):
        each.style().unpolish(each)
        each.style().polish(each)


class ElidedLabel(QLabel):
    """One line that ends in "…" when it does not fit; the tooltip holds the whole text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        """Show `text`, shortened to the label's width."""
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        """The whole text, however much of it fits."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Shorten the text again to the new width."""
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class Flasher(QObject):
    """The ward's one flashing rhythm, so every alarm of a priority flashes in step.

    Signals: `flashed()` at every step. Lives on the GUI thread.
    """

    flashed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._step = 0
        self.timer = QTimer(self)
        self.timer.setInterval(BLINK_MS)
        self.timer.timeout.connect(self._advance)
        self.timer.start()

    def _advance(self) -> None:
        self._step += 1
        self.flashed.emit()

    def lit(self, priority: Priority | None) -> bool:
        """Whether an alarm of `priority` is lit at this step (low is always lit)."""
        from alemmonitor.alarm_rules import Priority  # noqa: PLC0415 - see the module's note

        if priority is Priority.HIGH:
            return self._step % 2 == 0
        if priority is Priority.MEDIUM:
            return self._step % 8 < 4  # 4 steps on, 4 off: 0.5 Hz
        return True


def _acknowledged(alarm: Alarm) -> bool:
    from alemmonitor.alarms import AlarmState  # noqa: PLC0415 - see the module's note

    return alarm.state is AlarmState.ACKNOWLEDGED


def alarm_text(alarm: Alarm, now: datetime, chair: str = "") -> str:
    """'HIGH · Chair 3 · Heart rate 142 /min, above 140 · 2 min' for a list or the bar."""
    from alemmonitor.alarms import AlarmState  # noqa: PLC0415 - see the module's note

    parts = [translated(alarm.priority.text).upper()]
    if chair:
        parts.append(chair)
    parts.append(translated(alarm.message))
    parts.append(translated(age_text(alarm.started_at, now)))
    if alarm.state is AlarmState.ACKNOWLEDGED:
        parts.append(
            QCoreApplication.translate("AlarmBar", "seen by {nurse}").format(
                nurse=alarm.acknowledged_by
            )
        )
    elif alarm.state is AlarmState.LATCHED:
        parts.append(QCoreApplication.translate("AlarmBar", "over; acknowledge to clear"))
    return " · ".join(parts)


class AlarmBar(QFrame):
    """The alarm the ward must see first, always on screen, with what a nurse does about it.

    Shows the most urgent alarm (or that there is none), how many more there are, the audio
    pause with its countdown, and, permanently, why sound cannot play if it cannot.
    Signals: `acknowledge_requested(str alarm_id)`, `open_requested(str bed_id)`,
    `pause_requested()`, `resume_requested()`. Lives on the GUI thread.
    """

    acknowledge_requested = Signal(str)
    open_requested = Signal(str)
    pause_requested = Signal()
    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBar")
        self.message = ElidedLabel()
        self.message.setObjectName("alarmMessage")
        self.more = QLabel()
        self.more.setObjectName("alarmMore")
        self.acknowledge_button = QPushButton(self.tr("Acknowledge"))
        self.acknowledge_button.setToolTip(self.tr("I have seen this alarm (Ctrl+K)"))
        self.open_button = QPushButton(self.tr("Go to chair"))
        self.pause_button = QPushButton(self.tr("Pause audio 2 min"))
        self.pause_button.setObjectName("pauseAudio")
        self.pause_button.setToolTip(
            self.tr("Silence what sounds now for up to 2 minutes (Ctrl+Shift+M); new alarms sound")
        )
        self.sound_problem = QLabel()
        self.sound_problem.setObjectName("soundProblem")
        self.sound_problem.setWordWrap(True)
        self.sound_problem.hide()
        self._shown: Alarm | None = None
        self._paused = False

        self.acknowledge_button.clicked.connect(self._acknowledge)
        self.open_button.clicked.connect(self._open)
        self.pause_button.clicked.connect(self._pause_or_resume)

        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.more)
        for button in (self.acknowledge_button, self.open_button, self.pause_button):
            button.setMinimumHeight(44)
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.sound_problem)
        # Until the alarm engine has looked at the ward (just after the first paint), the bar
        # says so rather than "No alarms".
        self.message.set_full_text(self.tr("Checking alarms…"))
        set_alarm_look(self, None, lit=False)
        self.acknowledge_button.hide()
        self.open_button.hide()

    def show_alarms(
        self,
        alarms: Sequence[Alarm],
        now: datetime,
        chair_of: Callable[[str], str],
        paused_until: datetime | None,
        *,
        lit: bool,
    ) -> None:
        """Show the most urgent of `alarms` (sorted most urgent first) at `now`."""
        self._shown = alarms[0] if alarms else None
        shown = self._shown
        if shown is None:
            self.message.set_full_text(self.tr("No alarms"))
            self.more.clear()
            set_alarm_look(self, None, lit=False)
        else:
            self.message.set_full_text(alarm_text(shown, now, chair_of(shown.bed_id)))
            others = len(alarms) - 1
            self.more.setText(self.tr("+%n more", "", others) if others else "")
            set_alarm_look(self, shown.priority, lit=lit)
        self.acknowledge_button.setVisible(shown is not None and not _acknowledged(shown))
        self.open_button.setVisible(shown is not None)
        self._paused = paused_until is not None
        if paused_until is not None:
            left = max(0, int((paused_until - now).total_seconds()))
            self.pause_button.setText(
                self.tr("Audio paused {m}:{s:02d}: resume").format(m=left // 60, s=left % 60)
            )
        else:
            self.pause_button.setText(self.tr("Pause audio 2 min"))

    def show_failure(self, problem: str) -> None:
        """Say, in a high alarm's colour, that the alarms are not evaluated, and why."""
        from alemmonitor.alarm_rules import Priority  # noqa: PLC0415 - see the module's note

        self._shown = None
        self.message.set_full_text(problem)
        self.more.clear()
        for button in (self.acknowledge_button, self.open_button, self.pause_button):
            button.hide()
        set_alarm_look(self, Priority.HIGH, lit=True)

    def show_sound_problem(self, problem: str) -> None:
        """Say permanently why alarms cannot sound (empty: they can)."""
        self.sound_problem.setText(problem)
        self.sound_problem.setVisible(bool(problem))

    @property
    def shown(self) -> Alarm | None:
        """The alarm the bar shows."""
        return self._shown

    def _acknowledge(self) -> None:
        if self._shown is not None:
            self.acknowledge_requested.emit(self._shown.id)

    def _open(self) -> None:
        if self._shown is not None:
            self.open_requested.emit(self._shown.bed_id)

    def _pause_or_resume(self) -> None:
        if self._paused:
            self.resume_requested.emit()
        else:
            self.pause_requested.emit()


class AlarmList(QWidget):
    """A chair's alarms, each with its own acknowledge button.

    Signals: `acknowledge_requested(str alarm_id)`. Lives on the GUI thread.
    """

    acknowledge_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._rows: list[tuple[QFrame, QLabel, QPushButton, Alarm | None]] = []

    def show_alarms(self, alarms: Sequence[Alarm], now: datetime, flasher: Flasher) -> None:
        """Show these alarms (most urgent first) at `now`."""
        while len(self._rows) < len(alarms):
            self._rows.append(self._new_row())
        for index, (row, label, button, _) in enumerate(self._rows):
            if index >= len(alarms):
                row.hide()
                continue
            alarm = alarms[index]
            self._rows[index] = (row, label, button, alarm)
            label.setText(alarm_text(alarm, now))
            button.setVisible(not _acknowledged(alarm))
            set_alarm_look(row, alarm.priority, lit=flasher.lit(alarm.priority))
            row.show()
        self.setVisible(bool(alarms))

    def _new_row(self) -> tuple[QFrame, QLabel, QPushButton, Alarm | None]:
        row = QFrame()
        row.setObjectName("alarmRow")
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        button = QPushButton(self.tr("Acknowledge"))
        button.setMinimumHeight(44)
        index = len(self._rows)
        button.clicked.connect(lambda: self._acknowledge(index))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(label, 1)
        layout.addWidget(button)
        self._layout.addWidget(row)
        return row, label, button, None

    def flash(self, flasher: Flasher) -> None:
        """Light or darken each shown alarm at the flasher's step."""
        for row, _, _, alarm in self._rows:
            if alarm is not None and not row.isHidden():
                set_alarm_look(row, alarm.priority, lit=flasher.lit(alarm.priority))

    def _acknowledge(self, index: int) -> None:
        alarm = self._rows[index][3]
        if alarm is not None:
            self.acknowledge_requested.emit(alarm.id)

    def labels(self) -> list[str]:
        """The texts shown, most urgent first."""
        return [label.text() for row, label, _, _ in self._rows if not row.isHidden()]
