"""Dialogs for reactions: grade one with CTCAE, record its resolution, read a record's history.

Made for gloved hands on a 1366x768 laptop: every target is at least 44 px high and the grade
texts are large. Everything is checked by the domain before anything is stored; each problem is
shown beside its field.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QSignalBlocker, Qt, QTime
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import Clock, from_iso
from alemmonitor.errors import AlemMonitorError, EntryError
from alemmonitor.reactions import (
    ACTION_TITLES,
    ACTIONS,
    GRADES,
    Ctcae,
    CtcaeTerm,
    Reaction,
    correct_reaction,
    default_ctcae,
    record_reaction,
    record_resolution,
)
from alemmonitor.texts import QT_TRANSLATE_NOOP
from alemmonitor.ward import Admission, Ward
from ui.dialogs import error_label
from ui.i18n import message_of, translated

TERM_ROLE = Qt.ItemDataRole.UserRole
TOUCH_PX = 44

# Kept beside the dialogs until the ward's style sheet takes them over; object names match.
_STYLE = """
#gradeCard { text-align: left; border: 2px solid #9aa3ad; border-radius: 8px;
             background: #ffffff; padding: 4px; }
#gradeCard:checked { border: 4px solid #1f6feb; background: #e8f0fe; }
#gradeCard:disabled { border: 2px dashed #c4c9d0; background: #f3f4f6; }
#gradeTitle { font-size: 18px; font-weight: bold; }
#gradeText { font-size: 17px; }
#termList { font-size: 16px; }
#termList::item { padding: 6px 4px; }
#termTitle { font-size: 21px; font-weight: bold; }
#termDefinition { font-size: 14px; color: #4b5563; }
#termNavigation { font-size: 14px; color: #9a3412; font-weight: bold; }
#onsetTime, #resolvedTime { font-size: 20px; }
QTimeEdit::up-button, QTimeEdit::down-button { width: 28px; }
QScrollBar:vertical { width: 24px; }
QCheckBox { font-size: 16px; }
QCheckBox::indicator { width: 26px; height: 26px; }
"""


class TimeField(QWidget):
    """A time of day in the ward's time zone, with large buttons for 'now' and '5 min earlier'.

    The date is the one of the time it was given (today after 'Now'); going 5 minutes back
    over midnight moves to the day before.
    """

    STEP = timedelta(minutes=5)

    def __init__(
        self, clock: Clock, moment: datetime, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.edit = QTimeEdit()
        self.edit.setObjectName(name)
        self.edit.setDisplayFormat("HH:mm")
        self.edit.setMinimumSize(130, TOUCH_PX)
        earlier = QPushButton(f"\N{MINUS SIGN}{self.STEP.seconds // 60} min")
        earlier.setObjectName(f"{name}Earlier")
        earlier.setToolTip(
            self.tr("{minutes} minutes earlier").format(minutes=self.STEP.seconds // 60)
        )
        now = QPushButton(self.tr("Now"))
        now.setObjectName(f"{name}Now")
        for button in (earlier, now):
            button.setMinimumHeight(TOUCH_PX)
        # In UTC, so that going back over a change of daylight saving time stays exact.
        earlier.clicked.connect(lambda: self.set_moment(self.moment().astimezone(UTC) - self.STEP))
        now.clicked.connect(lambda: self.set_moment(clock.now()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(earlier)
        row.addWidget(now)
        row.addStretch(1)
        self.set_moment(moment)

    def set_moment(self, moment: datetime) -> None:
        """Show `moment` (to the minute) in the ward's time."""
        local = self.clock.local(moment)
        self._date = local.date()
        self.edit.setTime(QTime(local.hour, local.minute))

    def moment(self) -> datetime:
        """The time shown, on its date, in the ward's time zone."""
        chosen = self.edit.time()
        zone = self.clock.local(self.clock.now()).tzinfo
        return datetime.combine(self._date, time(chosen.hour(), chosen.minute()), zone)


class GradeCard(QPushButton):
    """A large checkable card with one CTCAE grade and its definition; disabled when undefined."""

    def __init__(self, grade: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grade = grade
        self.setObjectName("gradeCard")
        self.setCheckable(True)
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.title_label = QLabel(self.tr("Grade {grade}").format(grade=grade))
        self.title_label.setObjectName("gradeTitle")
        self.title_label.setFixedWidth(92)
        self.definition_label = QLabel()
        self.definition_label.setObjectName("gradeText")
        self.definition_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.title_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.definition_label, 1)
        for label in (self.title_label, self.definition_label):
            # The card, not its labels, takes the tap wherever it lands.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_definition(self, text: str | None) -> None:
        """Show the grade's definition, or that the term has no such grade (disabling the card)."""
        self.definition_label.setText(
            text if text is not None else self.tr("Not defined for this term")
        )
        self.setEnabled(text is not None)

    def blank(self) -> None:
        """Show no definition: no term is chosen yet."""
        self.definition_label.setText("")
        self.setEnabled(False)


class ReactionDialog(QDialog):
    """Record a reaction graded with CTCAE, or correct one (`correcting`).

    After `accept()`, `reaction` holds the stored reaction. `errors` maps each field (term,
    grade, onset_at, actions, note, reason) to the label that shows its problem.
    """

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        nurse: str,
        parent: QWidget | None = None,
        *,
        correcting: Reaction | None = None,
        ctcae: Ctcae | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.nurse = nurse
        self.correcting = correcting
        self.ctcae = ctcae or default_ctcae()
        self.reaction: Reaction | None = None
        self._shown_term: str | None = None
        self.setStyleSheet(_STYLE)
        what = self.tr("Correct a reaction") if correcting else self.tr("Record a reaction")
        self.setWindowTitle(
            self.tr("{what} — {name}").format(what=what, name=admission.patient.name)
        )
        self.resize(1240, 680)
        self.errors = {
            name: error_label()
            for name in ("term", "grade", "onset_at", "actions", "note", "reason")
        }
        self.general_error = error_label()

        bottom = QHBoxLayout()
        bottom.addLayout(self._build_details(), 1)
        bottom.addSpacing(16)
        bottom.addLayout(self._build_actions(), 1)
        right = self._build_grades()
        right.addLayout(bottom)
        columns = QHBoxLayout()
        columns.addLayout(self._build_terms(), 3)
        columns.addSpacing(12)
        columns.addLayout(right, 7)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(
            self.tr("Save correction") if correcting else self.tr("Save reaction")
        )
        for button in buttons.buttons():
            button.setMinimumHeight(TOUCH_PX)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        header = QLabel(
            f"<b>{html.escape(admission.patient.name)}</b> · {translated(admission.course_text)}"
        )
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(columns, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

        self._fill_terms("")
        if correcting is not None:
            self._show(correcting)

    def _build_terms(self) -> QVBoxLayout:
        self.search = QLineEdit()
        self.search.setObjectName("termSearch")
        self.search.setPlaceholderText(self.tr("Search: exanthema, Fieber, headache, Übelkeit…"))
        self.search.setMinimumHeight(TOUCH_PX)
        self.search.textChanged.connect(self._fill_terms)
        # Qt's own clear button in the field is too small to hit with gloves.
        clear = QPushButton(self.tr("Clear"))
        clear.setObjectName("clearSearch")
        clear.setMinimumHeight(TOUCH_PX)
        clear.clicked.connect(self.search.clear)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(clear)
        self.term_list = QListWidget()
        self.term_list.setObjectName("termList")
        self.term_list.setWordWrap(True)
        self.term_list.currentItemChanged.connect(self._on_term_chosen)
        version = QLabel(f"CTCAE v{self.ctcae.version}")
        version.setToolTip(self.ctcae.source)
        column = QVBoxLayout()
        column.addLayout(search_row)
        column.addWidget(self.term_list, 1)
        column.addWidget(self.errors["term"])
        column.addWidget(version)
        return column

    def _build_grades(self) -> QVBoxLayout:
        self.term_title = QLabel()
        self.term_title.setObjectName("termTitle")
        self.term_definition = QLabel()
        self.term_definition.setObjectName("termDefinition")
        self.term_definition.setWordWrap(True)
        self.term_navigation = QLabel()
        self.term_navigation.setObjectName("termNavigation")
        self.term_navigation.setWordWrap(True)
        self.term_navigation.hide()
        self.grade_group = QButtonGroup(self)
        self.grade_group.idClicked.connect(lambda _: self.errors["grade"].hide())
        self.grade_cards: dict[int, GradeCard] = {}
        cards = QWidget()
        card_column = QVBoxLayout(cards)
        card_column.setContentsMargins(0, 0, 6, 0)
        for grade in GRADES:
            card = GradeCard(grade)
            self.grade_group.addButton(card, grade)
            self.grade_cards[grade] = card
            card_column.addWidget(card)
        card_column.addStretch(1)
        # Some terms' grade texts (hypertension) run long: the cards scroll, the form stays.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(cards)
        column = QVBoxLayout()
        column.addWidget(self.term_title)
        column.addWidget(self.term_definition)
        column.addWidget(self.term_navigation)
        column.addWidget(scroll, 1)
        column.addWidget(self.errors["grade"])
        return column

    def _build_details(self) -> QFormLayout:
        clock = self.ward.clock
        onset = self.correcting.onset_at if self.correcting else clock.now()
        self.onset = TimeField(clock, onset, "onsetTime")
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setPlaceholderText(self.tr("What you saw, what was given, whom you told…"))
        self.note.setFixedHeight(88)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMinimumHeight(TOUCH_PX)
        self.reason.setPlaceholderText(self.tr("Why the record is corrected"))
        form = QFormLayout()
        form.addRow(self.tr("Onset"), self.onset)
        form.addRow("", self.errors["onset_at"])
        form.addRow(self.tr("Note"), self.note)
        form.addRow("", self.errors["note"])
        if self.correcting is not None:
            form.addRow(self.tr("Reason"), self.reason)
            form.addRow("", self.errors["reason"])
        return form

    def _build_actions(self) -> QVBoxLayout:
        self.action_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setVerticalSpacing(0)
        rows = (len(ACTIONS) + 1) // 2
        for index, action in enumerate(ACTIONS):
            box = QCheckBox(translated(ACTION_TITLES[action]))
            box.setObjectName(f"action_{action}")
            box.setMinimumHeight(TOUCH_PX)
            box.toggled.connect(lambda ticked, name=action: self._on_action_ticked(name, ticked))
            self.action_boxes[action] = box
            grid.addWidget(box, index % rows, index // rows)
        column = QVBoxLayout()
        heading = self.tr("Actions taken")
        column.addWidget(QLabel(f"<b>{heading}</b>"))
        column.addLayout(grid)
        column.addWidget(self.errors["actions"])
        column.addStretch(1)
        return column

    # -- the term and its grades ---------------------------------------------------------------

    def _fill_terms(self, text: str) -> None:
        chosen = self.selected_term()
        with QSignalBlocker(self.term_list):
            self.term_list.clear()
            for term in self.ctcae.search(text):
                item = QListWidgetItem(f"{term.name}\n{' · '.join(term.synonyms[:3])}")
                item.setData(TERM_ROLE, term.name)
                item.setToolTip(", ".join(term.synonyms))
                self.term_list.addItem(item)
                if chosen is not None and term.name == chosen.name:
                    self.term_list.setCurrentItem(item)
            if self.term_list.currentItem() is None and text.strip() and self.term_list.count():
                # The best match is what the nurse most likely means: one tap less with gloves.
                self.term_list.setCurrentRow(0)
        self._on_term_chosen()

    def selected_term(self) -> CtcaeTerm | None:
        """The CTCAE term chosen in the list."""
        item = self.term_list.currentItem()
        return self.ctcae.term(item.data(TERM_ROLE)) if item is not None else None

    def _on_term_chosen(self, *_: object) -> None:
        term = self.selected_term()
        if term is not None and term.name == self._shown_term:
            return
        self._shown_term = term.name if term is not None else None
        if term is not None:
            self.errors["term"].hide()
        # A grade chosen for another term means nothing for this one.
        self.grade_group.setExclusive(False)
        for card in self.grade_cards.values():
            card.setChecked(False)
        self.grade_group.setExclusive(True)
        self.term_title.setText(term.name if term else self.tr("Choose the reaction in the list"))
        self.term_definition.setText(f"{term.soc}. {term.definition}" if term else "")
        note = term.navigational_note if term else None
        self.term_navigation.setText(note or "")
        self.term_navigation.setVisible(note is not None)
        for grade, card in self.grade_cards.items():
            if term is None:
                card.blank()
            else:
                card.show_definition(term.grade_text(grade))

    def selected_grade(self) -> int | None:
        """The grade whose card is checked."""
        grade = self.grade_group.checkedId()
        return grade if grade in GRADES else None

    # -- onset and actions -----------------------------------------------------------------------

    def onset_at(self) -> datetime:
        """The onset as chosen, in the ward's time zone."""
        return self.onset.moment()

    def _on_action_ticked(self, action: str, ticked: bool) -> None:  # noqa: FBT001 - Qt's signal
        if not ticked:
            return
        # 'No action' and any action exclude each other; untick the other side.
        others = [a for a in ACTIONS if a != "none"] if action == "none" else ["none"]
        for other in others:
            self.action_boxes[other].setChecked(False)

    def selected_actions(self) -> tuple[str, ...]:
        """The actions ticked, in the ward's order."""
        return tuple(action for action, box in self.action_boxes.items() if box.isChecked())

    # -- saving ----------------------------------------------------------------------------------

    def _show(self, reaction: Reaction) -> None:
        self.search.clear()
        for row in range(self.term_list.count()):
            if self.term_list.item(row).data(TERM_ROLE) == reaction.term:
                self.term_list.setCurrentRow(row)
        card = self.grade_cards.get(reaction.grade)
        if card is not None and card.isEnabled():
            card.setChecked(True)
        for action in reaction.actions:
            if action in self.action_boxes:
                self.action_boxes[action].setChecked(True)
        self.note.setPlainText(reaction.note or "")

    def save(self) -> None:
        """Check and store; on a problem, say it beside its field and store nothing."""
        for label in (*self.errors.values(), self.general_error):
            label.hide()
        term = self.selected_term()
        try:
            if self.correcting is None:
                self.reaction = record_reaction(
                    self.ward,
                    self.admission,
                    term=term.name if term is not None else "",
                    grade=self.selected_grade(),
                    onset_at=self.onset_at(),
                    actions=self.selected_actions(),
                    note=self.note.toPlainText(),
                    by=self.nurse,
                    ctcae=self.ctcae,
                )
            else:
                self.reaction = correct_reaction(
                    self.ward,
                    self.correcting.id,
                    self._changes(self.correcting, term),
                    by=self.nurse,
                    reason=self.reason.text(),
                    ctcae=self.ctcae,
                )
        except EntryError as exc:
            said: dict[QLabel, list[str]] = {}
            for problem in exc.problems:
                label = self.errors.get(problem.field, self.general_error)
                said.setdefault(label, []).append(problem.message)
            for label, messages in said.items():
                label.setText("\n".join(translated(message) for message in messages))
                label.show()
            return
        except AlemMonitorError as exc:
            self.general_error.setText(message_of(exc))
            self.general_error.show()
            return
        self.accept()

    def _changes(self, original: Reaction, term: CtcaeTerm | None) -> dict[str, Any]:
        changes: dict[str, Any] = {
            "term": term.name if term is not None else "",
            "grade": self.selected_grade(),
            "actions": self.selected_actions(),
            "note": self.note.toPlainText(),
        }
        # The time field shows minutes; an onset stored to the second is kept unless the
        # nurse changed the minute shown.
        shown = self.ward.clock.local(original.onset_at).replace(second=0, microsecond=0)
        if self.onset_at() != shown:
            changes["onset_at"] = self.onset_at()
        return changes


class ResolveReactionDialog(QDialog):
    """Record when a reaction resolved. After `accept()`, `reaction` holds the stored reaction."""

    def __init__(
        self, ward: Ward, reaction: Reaction, nurse: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.nurse = nurse
        self.original = reaction
        self.reaction: Reaction | None = None
        self.setStyleSheet(_STYLE)
        self.setWindowTitle(self.tr("Reaction resolved"))
        self.setMinimumWidth(480)
        onset = ward.clock.local(reaction.onset_at)
        summary = QLabel(
            self.tr("<b>{term}</b>, grade {grade}, since {time}").format(
                term=html.escape(reaction.term), grade=reaction.grade, time=f"{onset:%H:%M}"
            )
        )
        self.resolved = TimeField(ward.clock, ward.clock.now(), "resolvedTime")
        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save resolution"))
        for button in buttons.buttons():
            button.setMinimumHeight(TOUCH_PX)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Resolved at"), self.resolved)
        form.addRow("", self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def resolved_at(self) -> datetime:
        """The resolution time as chosen, in the ward's time zone."""
        return self.resolved.moment()

    def save(self) -> None:
        """Store the resolution; on a problem, say it beside the time and store nothing."""
        self.error.hide()
        try:
            self.reaction = record_resolution(
                self.ward, self.original.id, resolved_at=self.resolved_at(), by=self.nurse
            )
        except AlemMonitorError as exc:
            problems = exc.problems if isinstance(exc, EntryError) else None
            self.error.setText(
                "\n".join(translated(p.message) for p in problems)
                if problems is not None
                else message_of(exc)
            )
            self.error.show()
            return
        self.accept()


# -- history ---------------------------------------------------------------------------------

# Columns of every clinical row that say who and when, not what: shown in each version's header.
_BOOKKEEPING = frozenset(
    {"id", "root_id", "supersedes", "voided", "entered_at", "entered_by", "correction_reason"}
)
FIELD_TITLES: Mapping[str, str] = {
    "ctcae_version": QT_TRANSLATE_NOOP("HistoryDialog", "CTCAE version"),
    "onset_at": QT_TRANSLATE_NOOP("HistoryDialog", "Onset"),
    "resolved_at": QT_TRANSLATE_NOOP("HistoryDialog", "Resolved"),
    "written_at": QT_TRANSLATE_NOOP("HistoryDialog", "Written"),
    "occurred_at": QT_TRANSLATE_NOOP("HistoryDialog", "When"),
    "measured_at": QT_TRANSLATE_NOOP("HistoryDialog", "Measured"),
    "term": QT_TRANSLATE_NOOP("HistoryDialog", "Term"),
    "grade": QT_TRANSLATE_NOOP("HistoryDialog", "Grade"),
    "actions": QT_TRANSLATE_NOOP("HistoryDialog", "Actions"),
    "note": QT_TRANSLATE_NOOP("HistoryDialog", "Note"),
    "text": QT_TRANSLATE_NOOP("HistoryDialog", "Text"),
}


def history_html(
    rows: Sequence[Mapping[str, Any]],
    *,
    local: Callable[[datetime], datetime] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """Every version of one record (`Store.history` rows, oldest first) as HTML.

    Each version says what happened (recorded, corrected, struck out), when, by whom and why;
    the values of every version that is no longer current are struck through (<s>...</s>), and
    values a correction changed are in bold. Links to other records (`*_id`) are left out.
    `local` turns stored UTC times into the ward's time (the computer's zone when None).
    """
    to_local = local or (lambda moment: moment.astimezone())
    names = {**FIELD_TITLES, **(titles or {})}
    parts = []
    previous: Mapping[str, Any] | None = None
    for index, row in enumerate(rows):
        current = index == len(rows) - 1 and not row.get("voided")
        when = _when(row.get("entered_at"), to_local)
        who = html.escape(str(row.get("entered_by") or "?"))
        reason = html.escape(str(row.get("correction_reason") or ""))
        if previous is None:
            head = QCoreApplication.translate("HistoryDialog", "<b>Recorded</b> {when} by {who}")
        elif row.get("voided"):
            head = QCoreApplication.translate(
                "HistoryDialog", "<b>Struck out</b> {when} by {who} — why: <i>{reason}</i>"
            )
        else:
            head = QCoreApplication.translate(
                "HistoryDialog", "<b>Corrected</b> {when} by {who} — why: <i>{reason}</i>"
            )
        head = head.format(when=when, who=who, reason=reason)
        parts.append(f"<p style='margin-bottom:2px'>{head}</p>")
        if not row.get("voided"):
            lines = []
            for name, value in row.items():
                if name in _BOOKKEEPING or name.endswith("_id"):
                    continue
                changed = previous is not None and previous.get(name) != value
                if value in (None, "") and not changed:
                    continue
                text = html.escape(_value_text(name, value, to_local))
                if not current:
                    text = f"<s>{text}</s>"
                elif changed:
                    text = f"<b>{text}</b>"
                lines.append(f"{html.escape(_title(name, names))}: {text}")
            body = "<br>".join(lines)
            if not current:
                body = f"<span style='color:#6b7280'>{body}</span>"
            parts.append(f"<p style='margin-left:18px; margin-top:0'>{body}</p>")
        previous = row
    return "\n".join(parts)


def _title(name: str, names: Mapping[str, str]) -> str:
    title = names.get(name)
    return translated(title) if title is not None else name.replace("_", " ").capitalize()


def _when(stored: object, local: Callable[[datetime], datetime]) -> str:
    if not isinstance(stored, str):
        return "?"
    return f"{local(from_iso(stored)):%Y-%m-%d %H:%M}"


def _value_text(name: str, value: object, local: Callable[[datetime], datetime]) -> str:
    if value in (None, ""):
        return "—"
    if name.endswith("_at") and isinstance(value, str):
        return _when(value, local)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value.startswith("["):
        # Lists (a reaction's actions) are stored as JSON text.
        try:
            items = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(items, list):
            return ", ".join(str(item) for item in items) or "—"
    return str(value)


class HistoryDialog(QDialog):
    """Shows every version of one record, corrections struck through with who, when and why."""

    def __init__(
        self,
        title: str,
        rows: Sequence[Mapping[str, Any]],
        *,
        local: Callable[[datetime], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 520)
        self.browser = QTextBrowser()
        self.browser.setObjectName("history")
        self.browser.setHtml(history_html(rows, local=local))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close: QAbstractButton = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setMinimumHeight(TOUCH_PX)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
