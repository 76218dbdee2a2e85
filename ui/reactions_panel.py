"""The day's reactions and notes beside the checklist, with the actions a nurse takes on them."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.errors import EntryError
from alemmonitor.reactions import (
    ACTION_TITLES,
    Note,
    Reaction,
    add_note,
    correct_note,
    notes_of,
    reaction_history,
    reactions_of,
)
from alemmonitor.ward import Admission, Ward
from ui.dialogs import error_label, save_cancel
from ui.i18n import translated
from ui.reaction_dialog import HistoryDialog, ReactionDialog, ResolveReactionDialog

ROW_PX = 60
"""A reaction's or note's row: two lines of text beside buttons of 44 px, and the spacing."""
VISIBLE_ROWS = 2
"""Rows shown before the list scrolls."""


class ReactionsPanel(QGroupBox):
    """Reactions (term, grade, onset, actions, resolution) and notes of the shown day.

    Signals: `changed()` after something was stored. GUI thread only.
    """

    changed = Signal()

    def __init__(self, ward: Ward, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Reactions and notes"))
        self.ward = ward
        self.nurse = ""
        self.admission: Admission | None = None
        self.reaction_rows: list[QWidget] = []
        self.add_reaction_button = QPushButton(self.tr("Reaction…"))
        self.add_reaction_button.setToolTip(self.tr("Record a reaction graded with CTCAE"))
        self.add_reaction_button.setMinimumHeight(48)
        self.add_reaction_button.clicked.connect(self.record_reaction)
        self.add_note_button = QPushButton(self.tr("Note…"))
        self.add_note_button.setMinimumHeight(48)
        self.add_note_button.clicked.connect(lambda: self.write_note(None))
        # The two buttons are placed by the day view among its other ways to record. The day's
        # reactions and notes scroll beyond a few rows; without any the panel is hidden: the
        # trends above keep the height the panel does not need.
        rows = QWidget()
        self.rows = QVBoxLayout(rows)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidget(rows)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    def show_admission(self, admission: Admission, nurse: str) -> None:
        """Show this day's reactions and notes."""
        self.admission = admission
        self.nurse = nurse
        self.reload()

    def reload(self) -> None:
        """Read the reactions and notes again."""
        for row in self.reaction_rows:
            row.setParent(None)
            row.deleteLater()
        self.reaction_rows = []
        self.hide()
        if self.admission is None:
            return
        for reaction in reactions_of(self.ward, self.admission):
            self._add_row(
                self._reaction_text(reaction),
                [
                    (
                        self.tr("Resolved…"),
                        lambda r=reaction: self.resolve(r),
                        not reaction.resolved,
                    ),
                    (self.tr("Correct…"), lambda r=reaction: self.correct(r), True),
                    (self.tr("History…"), lambda r=reaction: self.history(r), True),
                ],
            )
        for note in notes_of(self.ward, self.admission):
            self._add_row(
                f"{self._hm(note)} {note.entered_by}: {note.text}",
                [
                    (self.tr("Correct…"), lambda n=note: self.write_note(n), True),
                ],
            )
        self.scroller.setFixedHeight(min(len(self.reaction_rows), VISIBLE_ROWS) * ROW_PX)

    def _hm(self, note: Note) -> str:
        return f"{self.ward.clock.local(note.written_at):%H:%M}"

    def _reaction_text(self, reaction: Reaction) -> str:
        local = self.ward.clock.local
        actions = ", ".join(
            translated(ACTION_TITLES[a]) if a in ACTION_TITLES else a for a in reaction.actions
        )
        state = (
            self.tr("resolved {time}").format(time=f"{local(reaction.resolved_at):%H:%M}")
            if reaction.resolved_at
            else self.tr("ongoing")
        )
        return self.tr(
            "<b>{time} {term}, grade {grade}</b> (CTCAE {version}) · {actions} · {state}"
        ).format(
            time=f"{local(reaction.onset_at):%H:%M}",
            term=html.escape(reaction.term),
            grade=reaction.grade,
            version=reaction.ctcae_version,
            actions=html.escape(actions or self.tr("no action")),
            state=state,
        )

    def _add_row(self, text: str, actions: list[tuple[str, object, bool]]) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text)
        label.setWordWrap(True)
        line.addWidget(label, 1)
        for title, handler, enabled in actions:
            button = QPushButton(title)
            button.setMinimumHeight(44)
            button.setEnabled(enabled)
            button.clicked.connect(handler)
            line.addWidget(button)
        self.rows.insertWidget(len(self.reaction_rows), row)  # above the closing stretch
        self.reaction_rows.append(row)
        self.show()

    def _after(self, dialog: QDialog) -> bool:
        if dialog.exec():
            self.reload()
            self.changed.emit()
            return True
        return False

    def record_reaction(self) -> None:
        """Grade and record a new reaction."""
        if self.admission is not None:
            self._after(ReactionDialog(self.ward, self.admission, self.nurse, self))

    def resolve(self, reaction: Reaction) -> None:
        """Record when a reaction resolved."""
        self._after(ResolveReactionDialog(self.ward, reaction, self.nurse, self))

    def correct(self, reaction: Reaction) -> None:
        """Correct a reaction (term, grade, onset, actions), with a reason."""
        if self.admission is not None:
            self._after(
                ReactionDialog(self.ward, self.admission, self.nurse, self, correcting=reaction)
            )

    def history(self, reaction: Reaction) -> None:
        """Every version of the reaction, the superseded ones struck through."""
        HistoryDialog(
            reaction.term,
            reaction_history(self.ward, reaction.id),
            local=self.ward.clock.local,
            parent=self,
        ).exec()

    def write_note(self, note: Note | None) -> None:
        """Write a note, or correct one (with a reason)."""
        if self.admission is not None:
            self._after(NoteDialog(self.ward, self.admission, self.nurse, note, self))


class NoteDialog(QDialog):
    """Write a note on the day, or correct one: the old text stays in the history."""

    def __init__(
        self,
        ward: Ward,
        admission: Admission,
        nurse: str,
        note: Note | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ward = ward
        self.admission = admission
        self.nurse = nurse
        self.note = note
        self.setWindowTitle(self.tr("Correct note") if note else self.tr("Note"))
        self.text = QPlainTextEdit(note.text if note else "")
        self.text.setMinimumHeight(120)
        self.text_error = error_label()
        self.reason = QLineEdit()
        self.reason.setMinimumHeight(44)
        self.reason.setPlaceholderText(self.tr("Why the note is corrected"))
        self.reason_error = error_label()
        buttons = save_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.text_error)
        if note is not None:
            layout.addWidget(QLabel(self.tr("Reason for the correction")))
            layout.addWidget(self.reason)
            layout.addWidget(self.reason_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        """Store the note; problems are shown beside their field."""
        self.text_error.hide()
        self.reason_error.hide()
        try:
            if self.note is None:
                add_note(self.ward, self.admission, self.text.toPlainText(), by=self.nurse)
            else:
                correct_note(
                    self.ward,
                    self.note.id,
                    text=self.text.toPlainText(),
                    by=self.nurse,
                    reason=self.reason.text(),
                )
        except EntryError as exc:
            for problem in exc.problems:
                label = self.reason_error if problem.field == "reason" else self.text_error
                label.setText(translated(problem.message))
                label.show()
            return
        self.accept()
