"""The vitals round: a set of vital signs taken over from the monitor or typed, then charted.

The domain (`alemmonitor.vitals`) decides what is refused, what is unusual and what is offered
from the monitor; this dialog shows it beside each field and stores only a valid, confirmed set.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.display import NOW, age_text, ago_text
from alemmonitor.errors import AlemMonitorError, EntryError, FieldProblem
from alemmonitor.monitoring import LatestValue
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.vitals import (
    ACVPU,
    ACVPU_LEVELS,
    LABELS,
    MEASURED_FIELDS,
    O2_FLOW,
    Assessment,
    EntryRules,
    MonitorOffer,
    Suggestion,
    assess_entry,
    default_entry_rules,
    monitor_offers,
    unit_text,
)
from alemmonitor.ward import Admission, Ward
from ui.dialogs import add_problem
from ui.i18n import message_of, translated

TOUCH = 44
"""The smallest height of anything a gloved finger has to hit, in pixels."""

# Short words under the ACVPU letters; the full wording is the buttons' tooltip.
_ACVPU_SHORT = {
    "A": QT_TRANSLATE_NOOP("VitalsDialog", "Alert"),
    "C": QT_TRANSLATE_NOOP("VitalsDialog", "Confused"),
    "V": QT_TRANSLATE_NOOP("VitalsDialog", "Voice"),
    "P": QT_TRANSLATE_NOOP("VitalsDialog", "Pain"),
    "U": QT_TRANSLATE_NOOP("VitalsDialog", "Unresp."),
}
_GENERAL = "vitals"


def _touch_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(TOUCH)
    return button


def _number_field(name: str, *, width: int) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setMinimumHeight(TOUCH)
    field.setMaximumWidth(width)
    # Touch keyboards open their number pad; the text stays free so that a wrong entry is
    # explained beside the field rather than silently blocked.
    field.setInputMethodHints(Qt.InputMethodHint.ImhFormattedNumbersOnly)
    return field


def _note_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


class VitalsDialog(QDialog):
    """Chart a set of vital signs for a patient's infusion day.

    Beside each field the monitor's latest value and its age; "Take monitor values" fills the
    empty fields with those recent enough for the round. Impossible values are refused beside
    their field; unusual ones turn Save into "Confirm unusual values" listing them; nothing is
    stored until the set is valid and confirmed. Enter moves to the next empty field and saves
    from the last one (it never confirms unusual values: that takes the button).

    After `accept()`, `saved_values` holds what was stored (stored units) and `measured_at` its
    time. Lives on the GUI thread.
    """

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        nurse: str,
        latest_device: Mapping[str, LatestValue],
        parent: QWidget | None = None,
        *,
        rules: EntryRules | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.nurse = nurse
        self.rules = rules or default_entry_rules()
        self.saved_values: dict[str, float] = {}
        self.measured_at: datetime | None = None
        self.offers: dict[str, MonitorOffer] = {}
        self._latest: Mapping[str, LatestValue] = latest_device
        self._confirm_key: tuple[object, ...] | None = None
        self._time_touched = False
        self.setWindowTitle(self.tr("Vital signs · {name}").format(name=admission.patient.name))

        self.inputs: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {_GENERAL: _note_label("fieldError")}
        self.notes: dict[str, QLabel] = {}
        self.device_labels: dict[str, QLabel] = {}
        self.suggestion_buttons: dict[str, QPushButton] = {}
        self._suggestions: dict[str, Suggestion] = {}

        heading = QLabel(f"{admission.patient.name}  ·  {translated(admission.course_text)}")
        heading.setObjectName("patientLabel")
        self.monitor_button = _touch_button(self.tr("Take monitor values"))
        self.monitor_button.clicked.connect(self.take_monitor_values)
        self.monitor_status = _note_label("monitorStatus")
        round_row = QHBoxLayout()
        round_row.addWidget(self.monitor_button)
        round_row.addWidget(self.monitor_status, 1)

        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        row = self._add_measured(grid)
        row = self._add_consciousness(grid, row)
        row = self._add_oxygen(grid, row)
        self._add_time(grid, row)

        self.confirm_label = _note_label("confirmList")
        self.save_button = _touch_button(self.tr("Save"))
        self.cancel_button = _touch_button(self.tr("Cancel"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(round_row)
        layout.addLayout(grid)
        layout.addWidget(self.errors[_GENERAL])
        layout.addWidget(self.confirm_label)
        layout.addLayout(buttons)

        self.set_time_to_now()
        self._connect()
        self.show_device_values(latest_device)
        self.inputs[MEASURED_FIELDS[0]].setFocus()

    @property
    def _no_monitor(self) -> str:
        return self.tr("No monitor values for this chair.")

    def _connect(self) -> None:
        for name, field in self.inputs.items():
            field.returnPressed.connect(lambda n=name: self._on_enter(n))
            field.textChanged.connect(lambda _text, n=name: self._field_edited(n))
        self.reason_edit.returnPressed.connect(lambda: self._on_enter("backdate_reason"))
        self.reason_edit.textChanged.connect(lambda _text: self._field_edited("backdate_reason"))
        self.air_button.toggled.connect(self._entry_changed)
        self.time_edit.timeChanged.connect(self._time_edited)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.cancel_button.clicked.connect(self.reject)

    def _add_measured(self, grid: QGridLayout) -> int:
        row = 0
        for name in MEASURED_FIELDS:
            field = _number_field(name, width=140)
            self.inputs[name] = field
            device = QLabel()
            device.setObjectName("deviceValue")
            self.device_labels[name] = device
            suggestion = _touch_button("")
            suggestion.hide()
            suggestion.clicked.connect(lambda _=False, n=name: self.use_suggestion(n))
            self.suggestion_buttons[name] = suggestion
            grid.addWidget(QLabel(translated(LABELS[name])), row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(QLabel(unit_text(name)), row, 2)
            grid.addWidget(device, row, 3)
            grid.addWidget(suggestion, row, 4)
            row = self._add_problem_row(grid, name, row + 1)
        return row

    def _add_consciousness(self, grid: QGridLayout, row: int) -> int:
        self.acvpu_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        for letter, meaning in ACVPU_LEVELS.items():
            button = QPushButton(f"{letter}\n{translated(_ACVPU_SHORT[letter])}")
            button.setObjectName(f"acvpu{letter}")
            button.setCheckable(True)
            button.setMinimumSize(72, 56)
            button.setToolTip(translated(meaning))
            button.toggled.connect(lambda on, chosen=letter: self._acvpu_toggled(chosen, on))
            self.acvpu_buttons[letter] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addWidget(QLabel(translated(LABELS[ACVPU])), row, 0)
        grid.addLayout(buttons, row, 1, 1, 4)
        return self._add_problem_row(grid, ACVPU, row + 1)

    def _add_oxygen(self, grid: QGridLayout, row: int) -> int:
        self.air_button = _touch_button(self.tr("Air"))
        self.oxygen_button = _touch_button(self.tr("Oxygen"))
        self._air_or_oxygen = QButtonGroup(self)
        for button in (self.air_button, self.oxygen_button):
            button.setCheckable(True)
            button.setMinimumWidth(96)
            self._air_or_oxygen.addButton(button)
        self.air_button.setChecked(True)
        flow = _number_field(O2_FLOW, width=100)
        flow.setEnabled(False)
        self.inputs[O2_FLOW] = flow
        self.oxygen_button.toggled.connect(self._oxygen_toggled)
        line = QHBoxLayout()
        line.addWidget(self.air_button)
        line.addWidget(self.oxygen_button)
        line.addWidget(flow)
        line.addWidget(QLabel(unit_text(O2_FLOW)))
        line.addStretch(1)
        grid.addWidget(QLabel(self.tr("Air or oxygen")), row, 0)
        grid.addLayout(line, row, 1, 1, 4)
        return self._add_problem_row(grid, O2_FLOW, row + 1)

    def _add_time(self, grid: QGridLayout, row: int) -> None:
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setMinimumHeight(TOUCH)
        self.now_button = _touch_button(self.tr("Now"))
        self.now_button.clicked.connect(self.set_time_to_now)
        line = QHBoxLayout()
        line.addWidget(self.time_edit)
        line.addWidget(self.now_button)
        line.addStretch(1)
        grid.addWidget(QLabel(self.tr("Measured at")), row, 0)
        grid.addLayout(line, row, 1, 1, 4)
        row = self._add_problem_row(grid, "measured_at", row + 1)

        self.reason_label = QLabel(self.tr("Why entered later"))
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("backdate_reason")
        self.reason_edit.setMinimumHeight(TOUCH)
        self.reason_edit.setPlaceholderText(
            self.tr("e.g. patient in the bathroom, emergency on chair 3")
        )
        grid.addWidget(self.reason_label, row, 0)
        grid.addWidget(self.reason_edit, row, 1, 1, 4)
        self._add_problem_row(grid, "backdate_reason", row + 1)
        self._show_reason(visible=False)

    def _add_problem_row(self, grid: QGridLayout, name: str, row: int) -> int:
        self.errors[name] = _note_label("fieldError")
        self.notes[name] = _note_label("fieldNote")
        grid.addWidget(self.errors[name], row, 1, 1, 4)
        grid.addWidget(self.notes[name], row + 1, 1, 1, 4)
        return row + 2

    # -- what the nurse entered ----------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        """The entry as typed and chosen, in the form `assess_entry` reads."""
        texts = {name: self.inputs[name].text() for name in MEASURED_FIELDS}
        texts[ACVPU] = next((k for k, b in self.acvpu_buttons.items() if b.isChecked()), "")
        on_oxygen = self.oxygen_button.isChecked()
        texts["air_or_oxygen"] = "oxygen" if on_oxygen else "air"
        texts[O2_FLOW] = self.inputs[O2_FLOW].text() if on_oxygen else ""
        return texts

    def chosen_time(self) -> datetime:
        """When the set was measured: now, unless the nurse set the time."""
        clock = self.ward.clock
        now = clock.now()
        if not self._time_touched:
            return now
        local_now = clock.local(now)
        chosen = self.time_edit.time()
        return datetime.combine(
            local_now.date(), time(chosen.hour(), chosen.minute()), local_now.tzinfo
        )

    def assess(self) -> Assessment:
        """What the entry amounts to now."""
        return assess_entry(
            self.texts(),
            measured_at=self.chosen_time(),
            now=self.ward.clock.now(),
            backdate_reason=self.reason_edit.text(),
            rules=self.rules,
            expected=self.ward.protocol.vitals.parameters,
        )

    # -- the monitor ---------------------------------------------------------------------------

    def show_device_values(self, latest: Mapping[str, LatestValue]) -> None:
        """Show the monitor's latest values with their age beside the fields."""
        self._latest = latest
        now = self.ward.clock.now()
        self.offers = monitor_offers(latest, now, self.rules)
        for name, label in self.device_labels.items():
            offer = self.offers.get(name)
            if offer is None:
                label.clear()
                continue
            age = age_text(now - offer.age, now)
            when = translated(age if age == NOW else ago_text(age))
            value = f"{offer.text} {unit_text(name)}"
            shown = (
                self.tr("Monitor: pulse {value} · {when}")
                if offer.parameter == "pr"
                else self.tr("Monitor: {value} · {when}")
            ).format(value=value, when=when)
            if not offer.fresh:
                shown = self.tr("{offer} (too old)").format(offer=shown)
            label.setText(shown)
            label.setEnabled(offer.fresh)
        self.monitor_button.setEnabled(bool(self.offers))
        if not self.offers:
            self._tell(self._no_monitor)
        elif self.monitor_status.text() == self._no_monitor:
            self.monitor_status.hide()

    def take_monitor_values(self) -> None:
        """Fill the empty fields with monitor values recent enough for the round."""
        self.show_device_values(self._latest)
        fresh = {name: offer for name, offer in self.offers.items() if offer.fresh}
        # Systolic and diastolic come from one measurement: both or neither.
        if self.inputs["sbp"].text().strip() or self.inputs["dbp"].text().strip():
            fresh.pop("sbp", None)
            fresh.pop("dbp", None)
        taken = []
        for name, offer in fresh.items():
            field = self.inputs[name]
            if not field.text().strip():
                field.setText(offer.text)
                taken.append(translated(LABELS[name]))
        minutes = self.rules.monitor_value_max_age_min
        if taken:
            self._tell(
                self.tr("From the monitor: {fields}. Check, complete, save.").format(
                    fields=", ".join(taken)
                )
            )
        elif not fresh:
            self._tell(
                self.tr("No monitor values from the last {minutes} min.").format(minutes=minutes)
            )
        else:
            self._tell(self.tr("Those fields are filled already."))
        self._focus_next_empty(None)

    def _tell(self, text: str) -> None:
        self.monitor_status.setText(text)
        self.monitor_status.show()

    # -- editing -------------------------------------------------------------------------------

    def use_suggestion(self, name: str) -> None:
        """Take the suggested correction of a field (a °F temperature in °C)."""
        suggestion = self._suggestions.get(name)
        if suggestion is not None:
            self.inputs[name].setText(suggestion.text)
            self.inputs[name].setFocus()

    def set_time_to_now(self) -> None:
        """Chart the set at the moment it is saved."""
        local_now = self.ward.clock.local(self.ward.clock.now())
        self.time_edit.blockSignals(True)  # noqa: FBT003 - Qt's API
        self.time_edit.setTime(QTime(local_now.hour, local_now.minute))
        self.time_edit.blockSignals(False)  # noqa: FBT003 - Qt's API
        self._time_touched = False
        self._show_reason(visible=False)
        self.errors["measured_at"].hide()
        self._entry_changed()

    def _time_edited(self, _time: QTime) -> None:
        self._time_touched = True
        self.errors["measured_at"].hide()
        late = self.ward.clock.now() - self.chosen_time()
        self._show_reason(visible=late > self.rules.backdate_reason_after)
        self._entry_changed()

    def _show_reason(self, *, visible: bool) -> None:
        self.reason_label.setVisible(visible)
        self.reason_edit.setVisible(visible)
        if not visible:
            self.errors["backdate_reason"].hide()

    def _acvpu_toggled(self, letter: str, on: bool) -> None:  # noqa: FBT001 - Qt's signal
        # Not an exclusive group, so that a level chosen by mistake can be taken back.
        if on:
            for other, button in self.acvpu_buttons.items():
                if other != letter:
                    button.setChecked(False)
        self._field_edited(ACVPU)

    def _oxygen_toggled(self, on: bool) -> None:  # noqa: FBT001 - Qt's signal
        flow = self.inputs[O2_FLOW]
        flow.setEnabled(on)
        if on:
            flow.setFocus()
        self._field_edited(O2_FLOW)

    def _field_edited(self, name: str) -> None:
        self.errors[name].hide()
        self.notes[name].hide()
        if name in self.suggestion_buttons:
            self.suggestion_buttons[name].hide()
        self._entry_changed()

    def _entry_changed(self, *_: object) -> None:
        """Anything changed: a confirmation asked for other values no longer holds."""
        self._leave_confirmation()
        self.errors[_GENERAL].hide()

    def _leave_confirmation(self) -> None:
        self._confirm_key = None
        self.save_button.setText(self.tr("Save"))
        self.confirm_label.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        """Enter never triggers a default button here: the fields decide what it does."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if focused is not None and (
                focused is self.time_edit or self.time_edit.isAncestorOf(focused)
            ):
                self._on_enter("measured_at")
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_enter(self, name: str) -> None:
        """Enter in a field: say what is wrong with it, else go on to the next empty field."""
        assessment = self.assess()
        self._show(assessment, only=name)
        if any(p.field == name for p in assessment.refused):
            return
        if not self._focus_next_empty(name):
            self.save(confirming=False)

    def _order(self) -> list[QLineEdit]:
        fields = [self.inputs[name] for name in MEASURED_FIELDS]
        if self.inputs[O2_FLOW].isEnabled():
            fields.append(self.inputs[O2_FLOW])
        if self.reason_edit.isVisibleTo(self):
            fields.append(self.reason_edit)
        return fields

    def _focus_next_empty(self, after: str | None) -> bool:
        """Focus the first empty field after `after` (from the top for None); False if none."""
        fields = self._order()
        names = [field.objectName() for field in fields]
        if after in names:
            fields = fields[names.index(after) + 1 :]
        elif after == "measured_at":
            fields = [self.reason_edit] if self.reason_edit in fields else []
        for field in fields:
            if not field.text().strip():
                field.setFocus()
                return True
        return False

    # -- saving --------------------------------------------------------------------------------

    def _on_save_clicked(self) -> None:
        self.save(confirming=self._confirm_key is not None)

    def save(self, *, confirming: bool) -> None:
        """Check the set; store it when valid and nothing unusual is left unconfirmed.

        `confirming` is the nurse's confirmation of the unusual values listed on the button.
        """
        assessment = self.assess()
        self._show(assessment)
        if not assessment.storable:
            self._leave_confirmation()
            return
        key = self._key(assessment)
        if assessment.to_confirm and not (confirming and key == self._confirm_key):
            self._ask_confirmation(assessment, key)
            return
        self._store(assessment)

    def _key(self, assessment: Assessment) -> tuple[object, ...]:
        chosen = assessment.measured_at if self._time_touched else None
        return (tuple(sorted(assessment.values.items())), chosen, assessment.backdate_reason)

    def _ask_confirmation(self, assessment: Assessment, key: tuple[object, ...]) -> None:
        lines = [
            f"• {translated(LABELS.get(p.field, p.field))}: {translated(p.message)}"
            for p in assessment.to_confirm
        ]
        self.confirm_label.setText("\n".join([self.tr("Unusual: check, then confirm"), *lines]))
        self.confirm_label.show()
        self.save_button.setText(self.tr("Confirm unusual values"))
        self._confirm_key = key

    def _store(self, assessment: Assessment) -> None:
        values = assessment.values
        try:
            if assessment.backdated:
                self.ward.record_vitals(
                    self.admission,
                    values,
                    by=self.nurse,
                    at=assessment.measured_at,
                    reason=assessment.backdate_reason,
                )
            else:
                self.ward.record_vitals(
                    self.admission, values, by=self.nurse, at=assessment.measured_at
                )
        except EntryError as exc:
            self._show_problems(exc.problems)
            return
        except AlemMonitorError as exc:
            not_saved = self.tr("Not saved: {reason}").format(reason=message_of(exc))
            self._show_problems([FieldProblem(_GENERAL, not_saved)])
            return
        self.saved_values = dict(values)
        self.measured_at = assessment.measured_at
        self.accept()

    # -- showing -------------------------------------------------------------------------------

    def _show(self, assessment: Assessment, only: str | None = None) -> None:
        """Show refusals, unusual values and suggestions beside their fields."""

        def shown(problem: FieldProblem | Suggestion) -> bool:
            return only is None or problem.field == only

        for name, label in (*self.errors.items(), *self.notes.items()):
            if only is None or name == only:
                label.hide()
        for name, button in self.suggestion_buttons.items():
            if only is None or name == only:
                button.hide()
        if only is None:
            self._show_reason(visible=assessment.backdated)
        self._show_problems([p for p in assessment.refused if shown(p)])
        refused = {p.field for p in assessment.refused}
        for problem in assessment.to_confirm:
            if shown(problem) and problem.field not in refused:
                add_problem(self.notes.get(problem.field), translated(problem.message))
        for suggestion in assessment.suggestions:
            if shown(suggestion) and suggestion.field in self.suggestion_buttons:
                self._suggestions[suggestion.field] = suggestion
                button = self.suggestion_buttons[suggestion.field]
                button.setText(translated(suggestion.label))
                button.show()

    def _show_problems(self, problems: list[FieldProblem]) -> None:
        for problem in problems:
            label = self.errors.get(problem.field)
            if label is None:
                # A field this form does not have (from the ward): name it.
                label = self.errors[_GENERAL]
                field = translated(LABELS.get(problem.field, problem.field))
                message = f"{field}: {translated(problem.message)}"
            else:
                message = translated(problem.message)
            add_problem(label, message)
