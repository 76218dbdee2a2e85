"""The alarm engine on screen and in the speaker: the desk that connects the alarm watch to the
alarm bar, the cards and the day view, and the sound of each priority (IEC 60601-1-8 patterns,
tones made by the app).

Loaded once the ward is shown: the window starts it on the first turn of its event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTemporaryDir, QTimer, QUrl, Signal

from alemmonitor.alarm_rules import Priority
from alemmonitor.alarm_tones import PATTERNS, wav
from alemmonitor.alarms import Alarm, AlarmBoard
from ui.alarm_view import AlarmBar, Flasher, set_alarm_look

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

    from alemmonitor.watch import AlarmWatch


class AlarmSound(QObject):
    """Plays the pattern of the priority that should sound, with tones made by the app.

    If sound cannot play (the multimedia library or an audio output is missing), `problem`
    says so in a nurse's words and `problem_changed(str)` is emitted; silence must never look
    like safety. Lives on the GUI thread.
    """

    problem_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.problem = ""
        self.playing: Priority | None = None
        self._effects: dict[Priority, QSoundEffect] = {}
        self._files: dict[Priority, str] = {}
        try:
            from PySide6 import QtMultimedia  # noqa: PLC0415 - optional at run time
        except ImportError as exc:
            self.problem = self.tr(
                "NO ALARM SOUND: the sound library cannot be loaded ({reason}). "
                "Alarms show on screen only. On Linux install libpulse0."
            ).format(reason=exc)
            return
        self._multimedia = QtMultimedia
        self._folder = QTemporaryDir()
        for priority in PATTERNS:
            path = self._folder.filePath(f"alarm-{priority.label}.wav")
            with open(path, "wb") as out:  # noqa: PTH123 - a path from Qt's temporary folder
                out.write(wav(priority))
            self._files[priority] = path
        self._devices = QtMultimedia.QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self._check_outputs)
        self._check_outputs()

    def _check_outputs(self) -> None:
        """Follow the laptop's audio outputs: a headset plugged in or out, a dock."""
        outputs = self._multimedia.QMediaDevices.audioOutputs()
        playing, self.playing = self.playing, None
        for effect in self._effects.values():
            effect.stop()
            effect.deleteLater()
        self._effects = {}
        if not outputs:
            self._set_problem(
                self.tr(
                    "NO ALARM SOUND: this laptop has no audio output. Alarms show on screen only."
                )
            )
            return
        for priority, pattern in PATTERNS.items():
            effect = self._multimedia.QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(self._files[priority]))
            effect.setLoopCount(
                self._multimedia.QSoundEffect.Loop.Infinite.value
                if pattern.repeat_after_s is not None
                else 1
            )
            effect.statusChanged.connect(lambda e=effect: self._status_changed(e))
            self._effects[priority] = effect
        self._set_problem("")
        self.play(playing)

    def _status_changed(self, effect: QSoundEffect) -> None:
        if effect.status() == self._multimedia.QSoundEffect.Status.Error:
            self._set_problem(
                self.tr(
                    "NO ALARM SOUND: the alarm tones cannot be played. Alarms show on screen only."
                )
            )

    def _set_problem(self, problem: str) -> None:
        if problem != self.problem:
            self.problem = problem
            self.problem_changed.emit(problem)

    def effects(self) -> dict[Priority, QSoundEffect]:
        """The tone of each priority, while an audio output exists."""
        return dict(self._effects)

    def play(self, priority: Priority | None) -> None:
        """Sound `priority`'s pattern (None: silence); a low alarm sounds once when it begins."""
        if priority is self.playing:
            return
        for effect in self._effects.values():
            effect.stop()
        self.playing = priority
        if priority is not None and priority in self._effects:
            self._effects[priority].play()


class AlarmDesk(QObject):
    """Connects the alarm engine to the screens and the speaker.

    Drives the alarm bar it is given, and owns the flasher and the sound. The board reports
    changes on whatever thread made them; they reach this object as a queued signal. Signals:
    `changed()` after the alarms changed (cards and the day view repaint), `flashed()` at every
    flasher step, `sound_ready()` once the speaker is set up (just after the desk starts). GUI
    thread.
    """

    changed = Signal()
    flashed = Signal()
    sound_ready = Signal()
    _board_changed = Signal()

    def __init__(
        self,
        watch: AlarmWatch,
        chair_of: Callable[[str], str],
        bar: AlarmBar,
        sound: AlarmSound | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.watch = watch
        self.chair_of = chair_of
        self.bar = bar
        self.flasher = Flasher(self)
        self.sound: AlarmSound | None = None
        if sound is not None:
            self._take_sound(sound)
        else:
            # Loading Qt Multimedia takes a tenth of a second: the ward is shown first. The desk
            # is the timer's context: a desk closed meanwhile cancels it.
            QTimer.singleShot(0, self, lambda: self._take_sound(AlarmSound(self)))
        self._board_changed.connect(self.refresh)
        watch.board.on_change = self._board_changed.emit
        self.flasher.flashed.connect(self._flash)
        self.refresh()

    def _take_sound(self, sound: AlarmSound) -> None:
        self.sound = sound
        sound.problem_changed.connect(self.bar.show_sound_problem)
        self.bar.show_sound_problem(sound.problem)
        sound.play(self.board.sounding())
        self.sound_ready.emit()

    @property
    def board(self) -> AlarmBoard:
        """The engine's alarms."""
        return self.watch.board

    def refresh(self) -> None:
        """Show the alarms as they stand and let the speaker play what should sound."""
        self.board.expire(self.watch.ward.clock.now())
        self._show()
        if self.sound is not None:
            self.sound.play(self.board.sounding())
        self.changed.emit()

    def _show(self) -> None:
        alarms = self.board.alarms()
        top = alarms[0].priority if alarms else None
        self.bar.show_alarms(
            alarms,
            self.watch.ward.clock.now(),
            self.chair_of,
            self.board.audio_paused_until(),
            lit=self.flasher.lit(top),
        )

    def _flash(self) -> None:
        shown = self.bar.shown
        if shown is not None:
            set_alarm_look(self.bar, shown.priority, lit=self.flasher.lit(shown.priority))
        self.flashed.emit()

    def alarms_by_chair(self) -> dict[str, list[Alarm]]:
        """Every chair's alarms, most urgent first."""
        by_chair: dict[str, list[Alarm]] = {}
        for alarm in self.board.alarms():
            by_chair.setdefault(alarm.bed_id, []).append(alarm)
        return by_chair

    def detach(self) -> None:
        """Stop hearing the board (the window is closing)."""
        self.watch.board.on_change = None
        if self.sound is not None:
            self.sound.play(None)
