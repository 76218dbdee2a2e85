"""The main window: the ward overview, the day view, and the actions a nurse starts from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from alemmonitor import __version__
from alemmonitor.display import countdown_text
from alemmonitor.errors import AlemMonitorError
from alemmonitor.infusion_day import Step
from alemmonitor.monitoring import WardMonitors
from alemmonitor.ward import Admission, Bed, ChairView, MonitorAssignment, Ward
from ui.alarm_view import AlarmBar
from ui.first_paint import AfterFirstPaint
from ui.i18n import translated
from ui.ward_view import WardView

if TYPE_CHECKING:
    from alemmonitor.watch import AlarmWatch
    from ui.alarm_desk import AlarmDesk, AlarmSound
    from ui.day_view import DayView
    from ui.dialogs import DischargeDialog, RegisterPatientDialog, StartDayDialog
    from ui.followup_view import FollowUpDialog
    from ui.monitor_dialog import MonitorDialog
    from ui.report_dialog import EndOfDayDialog

TICK_MS = 1000


class _MonitorNews(QObject):
    """Carries "chair changed" from the monitors' threads to the GUI thread.

    Signals: `chair_changed(bed_id)`. Lives on the GUI thread; emitted from any thread.
    """

    chair_changed = Signal(str)


def two_line_width(label: QLabel) -> int:
    """The narrowest width (to 10 px) at which `label`'s text, in the font its style sheet gives,
    wraps onto two lines at most."""
    label.ensurePolished()
    metrics = label.fontMetrics()
    margins = label.contentsMargins()
    padding = margins.left() + margins.right() + 2 * label.margin()
    flags = int(Qt.TextFlag.TextWordWrap)
    width = 10 * (metrics.horizontalAdvance(label.text()) // 20)
    while metrics.boundingRect(QRect(0, 0, width, 1000), flags, label.text()).height() > (
        2 * metrics.lineSpacing()
    ):
        width += 10
    return width + padding + 4


class MainWindow(QMainWindow):
    """Today's chairs, and the actions to register a patient, start a day, choose a chair's
    monitor and discharge a patient.

    The chairs' days are held in memory and re-evaluated every second against the clock; the
    record is read again only after something was stored. The alarm bar is there from the first
    paint; the alarm engine starts just after that paint (or when first asked for)
    and then evaluates what the record and the monitors already hold. Signals:
    `night_changed(bool)` when the nurse switches the night colours, `alarms_started()` once the
    alarm engine watches the ward. Lives on the GUI thread.
    """

    night_changed = Signal(bool)
    alarms_started = Signal()

    def __init__(
        self,
        ward: Ward,
        nurse: str,
        *,
        monitors: WardMonitors | None = None,
        watch: AlarmWatch | None = None,
        sound: AlarmSound | None = None,
        demo: bool = False,
        night: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.monitors = monitors or WardMonitors(ward)
        self._given_watch = watch
        self._sound = sound
        self._alarms: AlarmDesk | None = None
        self.night = night
        title = f"AlemMonitor {__version__}"
        self.setWindowTitle(
            self.tr("{title} — DEMONSTRATION (not a patient record)").format(title=title)
            if demo
            else title
        )

        self.addToolBar(self._build_toolbar(nurse, demo=demo))

        self.ward_view = WardView(self.monitors, self)
        # Monitors report on their own threads; the signal carries the news to this one.
        self._monitor_news = _MonitorNews(self)
        self._monitor_news.chair_changed.connect(self.on_chair_changed)
        self.monitors.on_change = self._monitor_news.chair_changed.emit
        self.ward_view.start_requested.connect(self.start_day)
        self.ward_view.open_requested.connect(self.open_day)
        self.ward_view.monitor_requested.connect(self.open_monitor)
        self.ward_view.discharge_requested.connect(self.discharge_chair)
        # The chair dialog open now (monitor, discharge); window-modal, so one at a time.
        self._chair_dialog: QDialog | None = None
        # The day view (with its plots) is built when a day is first opened: the ward comes first.
        self._day_view: DayView | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.ward_view)
        self._chairs: list[ChairView] = []
        self.alarm_bar = AlarmBar()
        self.alarm_bar.acknowledge_requested.connect(self.acknowledge_alarm)
        self.alarm_bar.open_requested.connect(self._open_alarm)
        self.alarm_bar.pause_requested.connect(self.pause_audio)
        self.alarm_bar.resume_requested.connect(self.resume_audio)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.alarm_bar)
        column.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        for keys, slot in (
            ("Ctrl+K", self._acknowledge_shown),
            ("Ctrl+Shift+M", self.pause_audio),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        for number in range(1, 10):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda n=number: self._open_chair_number(n))
        self.next_label = QLabel()
        self.next_label.setObjectName("wardNext")
        self.statusBar().addPermanentWidget(self.next_label)
        self.statusBar().showMessage(str(ward.store.path))

        self.reload()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        # The ward is painted first; loading the alarm engine and its rules would hold it up by
        # a tenth of a second.
        self.after_first_paint = AfterFirstPaint(self)
        """Work that waits until the ward is on the screen (connecting monitors, say)."""
        self.after_first_paint.then(self.start_alarms)

    def _build_toolbar(self, nurse: str, *, demo: bool) -> QToolBar:
        """The ward's actions, the demonstration banner, and who is on duty."""
        self.nurse_field = QLineEdit(nurse)
        self.nurse_field.setObjectName("nurseField")
        self.nurse_field.setMaximumWidth(120)
        self.nurse_field.setMinimumHeight(44)
        self.nurse_field.setToolTip(
            self.tr("Initials of the nurse on duty; every record carries them")
        )

        self.register_action = self._action(
            self.tr("Register patient…"), self.tr("Register a new patient"), "Ctrl+N"
        )
        self.register_action.triggered.connect(self.register_patient)
        self.start_action = self._action(
            self.tr("Start a day…"), self.tr("Start a patient's infusion day on a chair"), "Ctrl+D"
        )
        self.start_action.triggered.connect(lambda: self.start_day(None))
        self.followup_action = self._action(
            self.tr("Follow-up…"),
            self.tr("Blood tests due after the courses, for every patient"),
            "Ctrl+L",
        )
        self.followup_action.triggered.connect(self.open_followup)
        self.report_action = self._action(
            self.tr("End of day…"), self.tr("Preview and save the PDF of a patient's day"), "Ctrl+E"
        )
        self.report_action.triggered.connect(self.end_of_day)

        toolbar = QToolBar(self.tr("Ward"))
        toolbar.setObjectName("wardToolbar")
        toolbar.setMovable(False)
        self.night_action = self._action(
            self.tr("Night colours"),
            self.tr("Dark colours for the night shift, plots included"),
            "Ctrl+Shift+N",
        )
        self.night_action.setCheckable(True)
        self.night_action.setChecked(self.night)
        self.night_action.toggled.connect(self.set_night)
        toolbar.addAction(self.register_action)
        toolbar.addAction(self.start_action)
        toolbar.addAction(self.followup_action)
        toolbar.addAction(self.report_action)
        toolbar.addAction(self.night_action)
        if demo:
            words = self.tr("DEMONSTRATION WARD: fictional patients, not a patient record")
            banner = QLabel(words)
            banner.setObjectName("demoBanner")
            # On two lines, as narrow as its words allow, so that the nurse's field stays on a
            # 1366-pixel screen in every language.
            banner.setWordWrap(True)
            banner.setFixedWidth(two_line_width(banner))
            toolbar.addWidget(banner)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(QLabel(self.tr("Nurse on duty:") + " "))
        toolbar.addWidget(self.nurse_field)
        return toolbar

    def _action(self, text: str, description: str, shortcut: str) -> QAction:
        """A toolbar action with its shortcut, named in its tooltip as the laptop writes it."""
        action = QAction(text, self)
        keys = QKeySequence(shortcut)
        action.setShortcut(keys)
        action.setToolTip(
            self.tr("{description} ({shortcut})").format(
                description=description,
                shortcut=keys.toString(QKeySequence.SequenceFormat.NativeText),
            )
        )
        return action

    def set_night(self, night: bool) -> None:  # noqa: FBT001 - the action's checked state
        """Switch to dark colours for a night shift, or back; the choice is kept (see app)."""
        self.night = night
        if self._day_view is not None:
            self._day_view.trends.set_night(night)
        self.night_changed.emit(night)

    def on_chair_changed(self, bed_id: str) -> None:
        """A chair's monitor delivered values or changed its link state."""
        self.ward_view.show_chair_monitor(bed_id, self.ward.clock.now())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Stop reading the monitors before the window goes; the alarm log says the app closed."""
        self.monitors.on_change = None
        self.monitors.stop()
        if self._alarms is not None:
            self._alarms.detach()
            self._alarms.watch.close()
        super().closeEvent(event)

    # -- alarms ----------------------------------------------------------------------------------

    def start_alarms(self) -> AlarmDesk:
        """Start the alarm engine and its screens, once; returns them.

        The watch listens to the monitors from now on, then evaluates what came before: the
        latest stored values of each patient's day, the links' states, the latest charted sets
        and what time tells. Nothing that arrived before it started goes unevaluated.
        """
        if self._alarms is not None:
            return self._alarms
        # Loaded here, after the first paint: see the class's description.
        from alemmonitor.alarm_rules import default_alarm_rules  # noqa: PLC0415
        from alemmonitor.watch import AlarmWatch  # noqa: PLC0415
        from ui.alarm_desk import AlarmDesk  # noqa: PLC0415

        # Alarms are evaluated on the monitors' threads as readings arrive, not on repaints.
        try:
            watch = self._given_watch or AlarmWatch(self.ward, default_alarm_rules())
        except AlemMonitorError as exc:
            # The ward stays on screen; that it has no alarms must not go unseen.
            self.alarm_bar.show_failure(
                self.tr(
                    "NO ALARMS: the alarm rules cannot be read ({reason}). Watch the patients "
                    "directly and call technical support."
                ).format(reason=exc)
            )
            raise
        watch.listen_to(self.monitors)
        if not self.ward.store.closed:
            watch.catch_up(self.monitors, self._chairs)
        desk = AlarmDesk(watch, self._chair_label, self.alarm_bar, self._sound, self)
        self._alarms = desk
        desk.changed.connect(self.show_alarms)
        desk.flashed.connect(self._flash_alarms)
        self.show_alarms()
        self.alarms_started.emit()
        return desk

    @property
    def watch(self) -> AlarmWatch:
        """The alarm engine (started now if it has not started yet)."""
        return self.start_alarms().watch

    @property
    def alarms(self) -> AlarmDesk:
        """The alarm engine's screens and speaker (started now if they have not started yet)."""
        return self.start_alarms()

    def _chair_label(self, bed_id: str) -> str:
        view = next((v for v in self._chairs if v.bed.id == bed_id), None)
        if view is None:
            return ""
        patient = view.admission.patient.name if view.admission is not None else ""
        return f"{view.bed.label} · {patient}" if patient else view.bed.label

    def show_alarms(self) -> None:
        """Show every chair's alarms on its card and in the day view."""
        by_chair = self.alarms.alarms_by_chair()
        now = self.ward.clock.now()
        self.ward_view.show_alarms(by_chair, now, self.alarms.flasher)
        if self._day_view is not None and self._day_view.admission is not None:
            bed_id = self._day_view.admission.bed_id or ""
            self._day_view.show_alarms(by_chair.get(bed_id, []), now, self.alarms.flasher)

    def _flash_alarms(self) -> None:
        self.ward_view.flash(self.alarms.flasher)
        if self._day_view is not None:
            self._day_view.alarm_list.flash(self.alarms.flasher)

    def acknowledge_alarm(self, alarm_id: str) -> None:
        """The nurse on duty has seen this alarm."""
        if self._require_nurse():
            self.watch.board.acknowledge(alarm_id, self.nurse, self.ward.clock.now())

    def _acknowledge_shown(self) -> None:
        shown = self.alarm_bar.shown
        if shown is not None:
            self.acknowledge_alarm(shown.id)

    def pause_audio(self) -> None:
        """Silence what sounds now for up to the site's pause time; new alarms still sound."""
        if self._require_nurse():
            self.watch.board.pause_audio(self.nurse, self.ward.clock.now())

    def resume_audio(self) -> None:
        """End the audio pause early."""
        if self._require_nurse():
            self.watch.board.resume_audio(self.nurse, self.ward.clock.now())

    def _open_alarm(self, bed_id: str) -> None:
        """Go to the chair of the alarm shown; a blood-pressure warning opens its checklist."""
        bed = next((v.bed for v in self._chairs if v.bed.id == bed_id), None)
        if bed is None:
            return
        from alemmonitor.watch import WARNING  # noqa: PLC0415 - loaded with the alarm engine

        self.open_day(bed)
        shown = self.alarm_bar.shown
        if shown is not None and shown.key == WARNING and self._day_view is not None:
            self._day_view.check_warning_signs(translated(shown.message))

    @property
    def nurse(self) -> str:
        """The initials every new record is stored with."""
        return self.nurse_field.text().strip()

    def reload(self) -> None:
        """Read today's chairs from the record (after something was stored)."""
        self._chairs = self.ward.chairs()
        self.ward_view.set_chairs(self._chairs, self.ward.clock.now())
        self._show_next()

    def tick(self) -> None:
        """Move every countdown on by re-evaluating the days at the current time."""
        if self.ward.store.closed:
            # The record was closed before the window (the app is ending): nothing to show.
            self.timer.stop()
            return
        now = self.ward.clock.now()
        if self._alarms is not None:  # started just after the first paint
            self._alarms.watch.check(self._chairs, now)
            self._alarms.refresh()
        self.ward_view.tick(now)
        if self._day_view is not None and self.pages.currentWidget() is self._day_view:
            self._day_view.tick(now)
        self._show_next()

    @property
    def day_view(self) -> DayView:
        """The view of one patient's day (built on first use)."""
        if self._day_view is None:
            from ui.day_view import DayView  # noqa: PLC0415 - the plots load when first needed

            self._day_view = DayView(self.ward, self.watch, self)
            self._day_view.trends.set_night(self.night)
            self._day_view.back_requested.connect(self.show_ward)
            self._day_view.recorded.connect(self.reload)
            self._day_view.vitals_requested.connect(self.enter_vitals)
            self._day_view.discharge_requested.connect(self.discharge)
            self._day_view.alarm_list.acknowledge_requested.connect(self.acknowledge_alarm)
            self.pages.addWidget(self._day_view)
        return self._day_view

    def open_day(self, bed: Bed) -> None:
        """Show the day of the patient on `bed`."""
        view = next((v for v in self._chairs if v.bed.id == bed.id), None)
        if view is None or view.admission is None:
            return
        self.day_view.show_admission(view.admission, self.nurse)
        self.pages.setCurrentWidget(self.day_view)
        self.show_alarms()

    def _open_chair_number(self, number: int) -> None:
        if number <= len(self._chairs):
            self.open_day(self._chairs[number - 1].bed)

    def show_ward(self) -> None:
        """Back to the overview of all chairs."""
        self.pages.setCurrentWidget(self.ward_view)
        self.reload()

    def enter_vitals(self, task: object) -> None:
        """Open the vital-signs entry for the patient whose day is shown."""
        del task
        admission = self.day_view.admission
        if admission is None or not self._require_nurse():
            return
        bed_id = admission.bed_id or ""
        from alemmonitor.vitals import UNITS  # noqa: PLC0415 - loaded when first needed
        from ui.vitals_dialog import VitalsDialog  # noqa: PLC0415

        offered = self.monitors.latest(bed_id, admission.id)
        dialog = VitalsDialog(self.ward, admission, self.nurse, offered, self)

        def refresh(changed: str) -> None:
            if changed == bed_id:
                dialog.show_device_values(self.monitors.latest(bed_id, admission.id))

        # The monitor keeps delivering while the nurse types: its offers stay current.
        self._monitor_news.chair_changed.connect(refresh)
        try:
            accepted = dialog.exec()
        finally:
            self._monitor_news.chair_changed.disconnect(refresh)
        if accepted and dialog.saved_values and dialog.measured_at is not None:
            self.monitors.note_manual(
                bed_id,
                admission.id,
                {name: (value, UNITS[name]) for name, value in dialog.saved_values.items()},
                dialog.measured_at,
            )
            # A typed value alarms as a monitor's would; the set is scored with NEWS2.
            self.watch.on_readings(
                bed_id, admission.id, dict(dialog.saved_values), dialog.measured_at
            )
            self.watch.on_charted_set(admission)
            self.day_view.reload()
            self.reload()

    def _show_next(self) -> None:
        now = self.ward.clock.now()
        due = []
        for view in self._chairs:
            status = view.status(now)
            task = status.next_task if status else None
            if task is not None and view.admission is not None:
                due.append((task.planned_at, view.bed.label, view.admission.patient.name, task))
        if not due:
            self.next_label.setText(self.tr("No patient needs anything now"))
            return
        planned, chair, name, task = min(due, key=lambda entry: entry[0])
        self.next_label.setText(
            self.tr("Next: {chair} · {name} · {task} · {countdown}").format(
                chair=chair,
                name=name,
                task=translated(task.title),
                countdown=translated(countdown_text(planned, now)),
            )
        )

    def _require_nurse(self) -> bool:
        if self.nurse:
            return True
        self.statusBar().showMessage(
            self.tr("Enter your initials as the nurse on duty first."), 10000
        )
        self.nurse_field.setFocus()
        return False

    def register_patient(self) -> RegisterPatientDialog | None:
        """Open the registration dialog; returns it (already closed) for tests."""
        if not self._require_nurse():
            return None
        from ui.dialogs import RegisterPatientDialog  # noqa: PLC0415 - the ward comes first

        dialog = RegisterPatientDialog(self.ward, self.nurse, self)
        if dialog.exec() and dialog.patient is not None:
            self.statusBar().showMessage(
                self.tr("Registered {name}.").format(name=dialog.patient.name), 10000
            )
        return dialog

    def open_followup(self) -> FollowUpDialog | None:
        """Open the unit's follow-up list; returns it (closed) for tests."""
        if not self._require_nurse():
            return None
        from ui.followup_view import FollowUpDialog  # noqa: PLC0415 - loaded when first needed

        dialog = FollowUpDialog(self.ward, self.nurse, self)
        dialog.exec()
        return dialog

    def end_of_day(self) -> EndOfDayDialog:
        """Open the end-of-day dialog (preview and save a day's PDF); returns it for tests."""
        from ui.report_dialog import EndOfDayDialog  # noqa: PLC0415 - loaded when first needed

        dialog = EndOfDayDialog(self.ward, self)
        dialog.open()
        return dialog

    def free_beds(self) -> list[Bed]:
        """Chairs with nobody on them today (or whose patient's day is complete)."""
        now = self.ward.clock.now()
        free = []
        for view in self._chairs:
            status = view.status(now)
            if status is None or status.step is Step.DAY_COMPLETE:
                free.append(view.bed)
        return free

    def start_day(self, bed: Bed | None) -> StartDayDialog | None:
        """Open the dialog to start a patient's day, on `bed` if given."""
        if not self._require_nurse():
            return None
        from ui.dialogs import StartDayDialog  # noqa: PLC0415 - the ward comes first

        dialog = StartDayDialog(self.ward, self.nurse, self.free_beds(), bed, self)
        if dialog.exec() and dialog.admission is not None:
            self.reload()
            self.statusBar().showMessage(
                self.tr("{name}: {course} started.").format(
                    name=dialog.admission.patient.name,
                    course=translated(dialog.admission.course_text),
                ),
                10000,
            )
        return dialog

    def open_monitor(self, bed: Bed) -> MonitorDialog | None:
        """Open the dialog choosing the chair's monitor; returns it (open) for tests."""
        if not self._require_nurse():
            return None
        from ui.monitor_dialog import MonitorDialog  # noqa: PLC0415 - the ward comes first

        dialog = MonitorDialog(self.ward, self.monitors, bed, self.nurse, self)

        def connected(assignment: MonitorAssignment) -> None:
            self.statusBar().showMessage(
                self.tr("{chair}: {protocol} monitor on {port} connected.").format(
                    chair=bed.label, protocol=assignment.protocol, port=assignment.port
                ),
                10000,
            )

        dialog.connected.connect(connected)
        dialog.disconnected.connect(
            lambda: self.statusBar().showMessage(
                self.tr("{chair}: monitor disconnected.").format(chair=bed.label), 10000
            )
        )
        self._show_chair_dialog(dialog)
        return dialog

    def discharge_chair(self, bed: Bed) -> DischargeDialog | None:
        """Discharge the patient on `bed`, if there is one."""
        view = next((v for v in self._chairs if v.bed.id == bed.id), None)
        if view is None or view.admission is None:
            return None
        return self.discharge(view.admission)

    def discharge(self, admission: Admission) -> DischargeDialog | None:
        """Open the dialog letting the patient leave the chair; returns it (open) for tests."""
        if not self._require_nurse():
            return None
        now = self.ward.clock.now()
        complete = self.ward.infusion_day(admission).status(now).step is Step.DAY_COMPLETE
        chair = next(
            (b.label for b in self.ward.beds() if b.id == admission.bed_id), self.tr("the chair")
        )
        from ui.dialogs import DischargeDialog  # noqa: PLC0415 - the ward comes first

        dialog = DischargeDialog(
            self.ward, admission, chair, self.nurse, complete=complete, parent=self
        )

        def discharged() -> None:
            shown = self._day_view.admission if self._day_view is not None else None
            if shown is not None and shown.id == admission.id:
                self.pages.setCurrentWidget(self.ward_view)
            self.statusBar().showMessage(
                self.tr("{name} discharged from {chair}.").format(
                    name=admission.patient.name, chair=chair
                ),
                10000,
            )

        dialog.accepted.connect(discharged)
        self._show_chair_dialog(dialog)
        return dialog

    def _show_chair_dialog(self, dialog: QDialog) -> None:
        """Show a chair's dialog without a nested event loop; the ward is read again after it."""
        if self._chair_dialog is not None:
            self._chair_dialog.deleteLater()
        self._chair_dialog = dialog
        dialog.finished.connect(lambda _result: self.reload())
        dialog.open()
