"""Reactions graded with CTCAE, and free-text notes, on a patient's infusion day.

The CTCAE terms the ward offers are data (`resources/ctcae/ctcae_v5.json`): each term's grade
texts as published, plus the words nurses search with ("exanthema", "Ausschlag", "Fieber"). The
file is validated on load; a problem is reported with file, line and field. Every reaction is
stored with the CTCAE version it was graded in, because later versions change some grades.

Reactions and notes are clinical records: a change (the resolution time, a corrected grade) is a
new version that supersedes the old one, with who, when and why.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from alemmonitor.clock import from_iso, to_iso
from alemmonitor.datafiles import (
    MinLength,
    NotBlank,
    Pattern,
    compose_quietly,
    file_key,
    located,
    read_model,
)
from alemmonitor.errors import DataFileError, EntryError, FieldProblem, StoreError
from alemmonitor.store import Row
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.ward import Admission, Ward

GRADES = (1, 2, 3, 4, 5)
NOT_DEFINED = "-"
"""How CTCAE marks a grade (or a navigational note) that does not exist for a term."""

ACTIONS = (
    "none",
    "slowed",
    "paused",
    "stopped",
    "antihistamine",
    "antipyretic",
    "corticosteroid",
    "other",
)
"""What can be done about a reaction, in the order the ward lists them."""

ACTION_TITLES: Mapping[str, Text] = {
    "none": QT_TRANSLATE_NOOP("Reactions", "No action"),
    "slowed": QT_TRANSLATE_NOOP("Reactions", "Infusion slowed"),
    "paused": QT_TRANSLATE_NOOP("Reactions", "Infusion paused"),
    "stopped": QT_TRANSLATE_NOOP("Reactions", "Infusion stopped"),
    "antihistamine": QT_TRANSLATE_NOOP("Reactions", "Antihistamine"),
    "antipyretic": QT_TRANSLATE_NOOP("Reactions", "Antipyretic"),
    "corticosteroid": QT_TRANSLATE_NOOP("Reactions", "Corticosteroid"),
    "other": QT_TRANSLATE_NOOP("Reactions", "Other (say which in the note)"),
}

_CHANGES_NOTHING = QT_TRANSLATE_NOOP("Reactions", "the correction changes nothing")
_EMPTY_NOTE = QT_TRANSLATE_NOOP("Reactions", "the note is empty")

RESOLVED_REASON = "resolved"
"""The correction reason of the version that records a reaction's resolution."""

_CORRECTABLE = frozenset({"term", "grade", "onset_at", "resolved_at", "actions", "note"})


class CtcaeFileError(DataFileError):
    """A CTCAE terms file is malformed."""

    what = "CTCAE terms file"
    subject = "CTCAE"


# -- the terms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CtcaeTerm:
    """A CTCAE adverse-event term with the text of each grade it has.

    `grades` holds only the grades CTCAE defines for the term (headache has none above 3).
    """

    name: str
    soc: str
    definition: str
    grades: Mapping[int, str] = field(hash=False)
    synonyms: tuple[str, ...] = ()
    navigational_note: str | None = None

    def grade_text(self, grade: int) -> str | None:
        """The definition of `grade`, or None when CTCAE has no such grade for this term."""
        return self.grades.get(grade)

    @property
    def grade_range(self) -> Text:
        """The grades the term has, as a nurse reads them: 'grades 1-3'."""
        defined = sorted(self.grades)
        if len(defined) == 1:
            return QT_TRANSLATE_NOOP("Reactions", "grade {grade} only").format(grade=defined[0])
        return QT_TRANSLATE_NOOP("Reactions", "grades {lowest}-{highest}").format(
            lowest=defined[0], highest=defined[-1]
        )


@dataclass(frozen=True)
class Ctcae:
    """The CTCAE terms the ward offers, with the version and source of their texts."""

    version: str
    source: str
    terms: tuple[CtcaeTerm, ...]

    def term(self, name: str) -> CtcaeTerm | None:
        """The term called exactly `name`."""
        return next((t for t in self.terms if t.name == name), None)

    def search(self, text: str) -> list[CtcaeTerm]:
        """Terms whose name or a synonym matches `text`, best matches first.

        Case, accents and umlauts do not matter ("fieber", "Ubelkeit", "Uebelkeit" and
        "Übelkeit" all match); every word typed must occur. An exact name or synonym ranks
        first, then one that starts with the text, then one with words starting with the typed
        words, then any other match; at the same rank a name goes before a synonym, and then
        the file's order decides. Empty text finds every term.
        """
        query = fold(text)
        if not query:
            return list(self.terms)
        ranked = []
        for order, term in enumerate(self.terms):
            levels = [
                (level, index > 0)
                for index, candidate in enumerate((term.name, *term.synonyms))
                if (level := _match_level(query, fold(candidate))) is not None
            ]
            if levels:
                level, by_synonym = min(levels)
                ranked.append((level, by_synonym, order, term))
        return [term for *_, term in sorted(ranked, key=lambda entry: entry[:3])]


def fold(text: str) -> str:
    """`text` as search compares it: case, accents, hyphens and spelled-out umlauts folded.

    'Übelkeit', 'Uebelkeit' and 'ubelkeit' fold alike, as do 'maculo-papular' and
    'maculopapular'. The same folding applies to what is typed and what is searched, so a word
    that merely contains 'ue' ('queasy') still finds itself.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _SPELLED_UMLAUT.sub(r"\1", plain.replace("-", ""))
    return " ".join(_NOT_A_LETTER.sub(" ", plain).split())


_SPELLED_UMLAUT = re.compile(r"([aou])e")
_NOT_A_LETTER = re.compile(r"[^\w]+")


def _match_level(query: str, candidate: str) -> int | None:
    if query == candidate:
        return 0
    if candidate.startswith(query):
        return 1
    typed = query.split()
    words = candidate.split()
    if all(any(word.startswith(t) for word in words) for t in typed):
        return 2
    if all(t in candidate for t in typed):
        return 3
    return None


def search_terms(text: str, ctcae: Ctcae | None = None) -> list[CtcaeTerm]:
    """Terms of `ctcae` (the shipped terms when None) matching `text`, best first."""
    return (ctcae or default_ctcae()).search(text)


def default_ctcae_path() -> Path:
    """The CTCAE terms file shipped with the app."""
    return Path(str(resources.files("resources") / "ctcae" / "ctcae_v5.json"))


@cache
def default_ctcae() -> Ctcae:
    """The shipped CTCAE terms, read once on first use."""
    return load_ctcae()


def load_ctcae(path: Path | None = None) -> Ctcae:
    """Read and validate a CTCAE terms file (the shipped one when `path` is None).

    Raises CtcaeFileError listing every problem with file, line and field.
    """
    path = path or default_ctcae_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CtcaeFileError(str(path), [f"{path}: cannot be read: {exc}"]) from exc
    return parse_ctcae(text, str(path))


def parse_ctcae(text: str, name: str) -> Ctcae:
    """Validate the JSON text of a CTCAE terms file; `name` is used in error messages."""
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except _RepeatedKeyError as exc:
        raise CtcaeFileError(name, [f"{name}: {exc.key}: given twice"]) from exc
    except json.JSONDecodeError as exc:
        raise CtcaeFileError(name, [f"{name}:{exc.lineno}: not valid JSON: {exc.msg}"]) from exc
    if not isinstance(data, dict):
        raise CtcaeFileError(name, [f"{name}:1: the file must hold an object of CTCAE fields"])
    parsed, found = read_model(data, _CtcaeFile)
    if parsed is not None:
        found = list(_inconsistencies(parsed))
    if parsed is None or found:
        # Only now is the text parsed again, as YAML, for the lines of the problems.
        raise CtcaeFileError(name, located(name, compose_quietly(text), found))
    return Ctcae(
        version=parsed.version,
        source=parsed.source,
        terms=tuple(_term(term_name, entry) for term_name, entry in parsed.terms.items()),
    )


_Text = Annotated[str, NotBlank()]


@dataclass(frozen=True, kw_only=True)
class _TermEntry:
    soc: _Text
    definition: _Text
    navigational_note: _Text = NOT_DEFINED
    g1: _Text
    g2: _Text
    g3: _Text
    g4: _Text
    g5: _Text
    synonyms: Annotated[list[_Text], MinLength(1)]


@dataclass(frozen=True, kw_only=True)
class _CtcaeFile:
    schema_version: Literal[1] = file_key("schema")
    version: Annotated[str, Pattern(r"^[0-9]+\.[0-9]+$")]
    source: _Text
    terms: Annotated[dict[str, _TermEntry], MinLength(1)]


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would silently keep the last of two equal keys: a term given twice would
    # lose its first definition without anyone noticing.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKeyError(key)
        result[key] = value
    return result


def _inconsistencies(parsed: _CtcaeFile) -> Iterable[tuple[tuple[object, ...], str]]:
    """Problems no single field shows: a term without grades, a word that finds two terms."""
    owner: dict[str, str] = {}
    for term_name, entry in parsed.terms.items():
        if not term_name.strip():
            yield ("terms", term_name), "a term needs a name"
        if not _grade_texts(entry):
            yield ("terms", term_name), "no grade is defined"
        for index, word in enumerate((term_name, *entry.synonyms)):
            folded = fold(word)
            loc: tuple[object, ...] = ("terms", term_name)
            if index:
                loc = (*loc, "synonyms", index - 1)
            other = owner.get(folded)
            if other is not None and other != term_name:
                yield loc, f"{word!r} already names or is a synonym of {other!r}"
            elif other == term_name and index:
                yield loc, f"{word!r} is given twice for this term"
            owner[folded] = term_name


def _grade_texts(entry: _TermEntry) -> dict[int, str]:
    """The texts of the grades the entry defines, by grade."""
    texts = {grade: getattr(entry, f"g{grade}") for grade in GRADES}
    return {grade: text for grade, text in texts.items() if text.strip() != NOT_DEFINED}


def _term(name: str, entry: _TermEntry) -> CtcaeTerm:
    note = entry.navigational_note
    return CtcaeTerm(
        name=name,
        soc=entry.soc,
        definition=entry.definition,
        grades=_grade_texts(entry),
        synonyms=tuple(entry.synonyms),
        navigational_note=None if note.strip() == NOT_DEFINED else note,
    )


# -- reactions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reaction:
    """A graded reaction as it stands now (its latest version).

    `id` is the record's first version, which stays its name through every correction;
    `entered_by` is the nurse who first recorded it (later changes are in its history).
    """

    id: str
    day_id: str
    term: str
    ctcae_version: str
    grade: int
    onset_at: datetime
    resolved_at: datetime | None
    actions: tuple[str, ...]
    note: str | None
    entered_by: str

    @property
    def resolved(self) -> bool:
        """Whether the reaction's resolution was recorded."""
        return self.resolved_at is not None


def record_reaction(
    ward: Ward,
    admission: Admission,
    *,
    term: str,
    grade: int | None,
    onset_at: datetime,
    actions: Iterable[str] = (),
    note: str | None = None,
    by: str,
    ctcae: Ctcae | None = None,
) -> Reaction:
    """Record a reaction on the patient's day, graded in `ctcae` (the shipped terms if None).

    Raises EntryError, storing nothing, naming each wrong field: an unknown term, a grade the
    term does not have, an onset in the future, an unknown action ('none' with others, 'other'
    without a note), no initials.
    """
    ctcae = ctcae or default_ctcae()
    chosen = tuple(actions)
    cleaned_note = _clean(note)
    now = ward.clock.now()
    problems = [
        *_grading_problems(ctcae, term, grade),
        *_time_problems(ward, now, onset_at, None),
        *_action_problems(chosen, cleaned_note),
        *_by_problems(by),
    ]
    if problems:
        raise EntryError(problems)
    row = ward.store.insert(
        "reactions",
        {
            "day_id": admission.id,
            "term": term,
            "ctcae_version": ctcae.version,
            "grade": grade,
            "onset_at": to_iso(onset_at),
            "resolved_at": None,
            "actions": _actions_json(chosen),
            "note": cleaned_note,
        },
        by,
    )
    return _reaction(row, recorded_by=by)


def record_resolution(ward: Ward, reaction_id: str, *, resolved_at: datetime, by: str) -> Reaction:
    """Record when a reaction resolved: a new version with the reason 'resolved'.

    Refused with EntryError, storing nothing, when the time lies before the onset or in the
    future, when the resolution was already recorded (correct it instead), or without initials.
    """
    now = ward.clock.now()
    with ward.store.transaction():
        current, row = _current_reaction(ward, reaction_id)
        problems = [*_by_problems(by)]
        if current.resolved_at is not None:
            problems.append(
                FieldProblem(
                    "resolved_at",
                    QT_TRANSLATE_NOOP(
                        "Reactions", "already resolved at {time}; correct the reaction to change it"
                    ).format(time=_hm(ward, current.resolved_at)),
                )
            )
        else:
            problems += _time_problems(ward, now, current.onset_at, resolved_at)
        if problems:
            raise EntryError(problems)
        stored = ward.store.correct_in_transaction(
            "reactions", row["id"], {"resolved_at": to_iso(resolved_at)}, by, RESOLVED_REASON
        )
    return _reaction(stored, recorded_by=current.entered_by)


def correct_reaction(
    ward: Ward,
    reaction_id: str,
    changes: Mapping[str, Any],
    *,
    by: str,
    reason: str,
    ctcae: Ctcae | None = None,
) -> Reaction:
    """Correct a recorded reaction; the version it replaces stays in the history.

    `changes` holds new values of term, grade, onset_at, resolved_at (None takes a resolution
    back), actions and note. The corrected reaction is checked like a new one; a new term or
    grade is graded in `ctcae` (the shipped terms if None) and stored with its version. Raises
    EntryError, storing nothing, on a wrong value, without a reason or when nothing changes.
    """
    unknown = set(changes) - _CORRECTABLE
    if unknown:
        raise ValueError(f"not a reaction field: {', '.join(sorted(unknown))}")
    ctcae = ctcae or default_ctcae()
    now = ward.clock.now()
    with ward.store.transaction():
        current, row = _current_reaction(ward, reaction_id)
        wanted = dict(changes)
        if "actions" in wanted:
            wanted["actions"] = tuple(wanted["actions"])
        if "note" in wanted:
            wanted["note"] = _clean(wanted["note"])
        corrected = replace(current, **wanted)
        regraded = corrected.term != current.term or corrected.grade != current.grade
        if regraded:
            corrected = replace(corrected, ctcae_version=ctcae.version)
        problems = [
            *(_grading_problems(ctcae, corrected.term, corrected.grade) if regraded else []),
            *_time_problems(ward, now, corrected.onset_at, corrected.resolved_at),
            *_action_problems(corrected.actions, corrected.note),
            *_by_problems(by),
            *_reason_problems(reason),
        ]
        row_changes = _changed_columns(current, corrected)
        if not row_changes and not problems:
            problems.append(FieldProblem("changes", _CHANGES_NOTHING))
        if problems:
            raise EntryError(problems)
        stored = ward.store.correct_in_transaction(
            "reactions", row["id"], row_changes, by, reason.strip()
        )
    return _reaction(stored, recorded_by=current.entered_by)


def strike_out_reaction(ward: Ward, reaction_id: str, *, by: str, reason: str) -> None:
    """Strike out a reaction entered in error; it stays in the history with who and why."""
    problems = [*_by_problems(by), *_reason_problems(reason)]
    if problems:
        raise EntryError(problems)
    with ward.store.transaction():
        _, row = _current_reaction(ward, reaction_id)
        ward.store.correct_in_transaction("reactions", row["id"], {}, by, reason.strip(), void=True)


def reactions_of(ward: Ward, admission: Admission) -> list[Reaction]:
    """The reactions of the patient's day as they stand now, by onset."""
    rows = ward.store.query(
        f"{_CURRENT_REACTIONS} WHERE r.day_id = ? ORDER BY r.onset_at, o.entered_at",
        (admission.id,),
    )
    return [_reaction(row, recorded_by=row["recorded_by"]) for row in rows]


def reaction_history(ward: Ward, reaction_id: str) -> list[Row]:
    """Every version of the reaction as stored, oldest first (for display of corrections)."""
    return ward.store.history("reactions", reaction_id)


# The current version of each reaction with who recorded its first version.
_CURRENT_REACTIONS = """
    SELECT r.*, o.entered_by AS recorded_by
    FROM current_reactions AS r JOIN reactions AS o ON o.id = r.root_id"""


def _current_reaction(ward: Ward, reaction_id: str) -> tuple[Reaction, Row]:
    """The reaction as it stands and the stored row of its current version."""
    rows = ward.store.query(f"{_CURRENT_REACTIONS} WHERE r.root_id = ?", (reaction_id,))
    if not rows:
        raise StoreError(f"no reaction {reaction_id} in the record (or it was struck out)")
    return _reaction(rows[0], recorded_by=rows[0]["recorded_by"]), rows[0]


def _reaction(row: Row, *, recorded_by: str) -> Reaction:
    resolved = row["resolved_at"]
    return Reaction(
        id=row["root_id"],
        day_id=row["day_id"],
        term=row["term"],
        ctcae_version=row["ctcae_version"],
        grade=row["grade"],
        onset_at=from_iso(row["onset_at"]),
        resolved_at=from_iso(resolved) if resolved else None,
        actions=tuple(json.loads(row["actions"])),
        note=row["note"],
        entered_by=recorded_by,
    )


def _changed_columns(current: Reaction, corrected: Reaction) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for name in ("term", "ctcae_version", "grade", "note"):
        if getattr(corrected, name) != getattr(current, name):
            columns[name] = getattr(corrected, name)
    if corrected.onset_at != current.onset_at:
        columns["onset_at"] = to_iso(corrected.onset_at)
    if corrected.resolved_at != current.resolved_at:
        resolved = corrected.resolved_at
        columns["resolved_at"] = to_iso(resolved) if resolved is not None else None
    if _normalised(corrected.actions) != _normalised(current.actions):
        columns["actions"] = _actions_json(corrected.actions)
    return columns


def _grading_problems(ctcae: Ctcae, term_name: str, grade: int | None) -> list[FieldProblem]:
    if not term_name.strip():
        return [FieldProblem("term", QT_TRANSLATE_NOOP("Reactions", "choose the CTCAE term"))]
    term = ctcae.term(term_name)
    if term is None:
        return [
            FieldProblem(
                "term",
                QT_TRANSLATE_NOOP("Reactions", "{term} is not a CTCAE v{version} term here").format(
                    term=repr(term_name), version=ctcae.version
                ),
            )
        ]
    if grade is None:
        return [
            FieldProblem(
                "grade",
                QT_TRANSLATE_NOOP("Reactions", "choose the grade ({grades})").format(
                    grades=term.grade_range
                ),
            )
        ]
    if term.grade_text(grade) is None:
        return [
            FieldProblem(
                "grade",
                QT_TRANSLATE_NOOP(
                    "Reactions", "{term} has no grade {grade} in CTCAE v{version} (it has {grades})"
                ).format(
                    term=term.name, grade=grade, version=ctcae.version, grades=term.grade_range
                ),
            )
        ]
    return []


def _time_problems(
    ward: Ward, now: datetime, onset_at: datetime, resolved_at: datetime | None
) -> list[FieldProblem]:
    latest = now + timedelta(minutes=ward.protocol.timing.future_tolerance_min)
    problems = []
    if onset_at > latest:
        problems.append(
            FieldProblem(
                "onset_at",
                QT_TRANSLATE_NOOP(
                    "Reactions", "{time} is in the future; the onset cannot be later than now"
                ).format(time=_hm(ward, onset_at)),
            )
        )
    if resolved_at is not None:
        if resolved_at > latest:
            problems.append(
                FieldProblem(
                    "resolved_at",
                    QT_TRANSLATE_NOOP(
                        "Reactions",
                        "{time} is in the future; the resolution cannot be later than now",
                    ).format(time=_hm(ward, resolved_at)),
                )
            )
        elif resolved_at < onset_at:
            problems.append(
                FieldProblem(
                    "resolved_at",
                    QT_TRANSLATE_NOOP("Reactions", "{time} is before the onset at {onset}").format(
                        time=_hm(ward, resolved_at), onset=_hm(ward, onset_at)
                    ),
                )
            )
    return problems


def _action_problems(actions: Sequence[str], note: str | None) -> list[FieldProblem]:
    unknown = [a for a in actions if a not in ACTIONS]
    if unknown:
        return [
            FieldProblem(
                "actions",
                QT_TRANSLATE_NOOP("Reactions", "unknown {actions} (known: {known})").format(
                    actions=", ".join(unknown), known=", ".join(ACTIONS)
                ),
            )
        ]
    problems = []
    if "none" in actions and len(set(actions)) > 1:
        problems.append(
            FieldProblem(
                "actions",
                QT_TRANSLATE_NOOP("Reactions", "'no action' cannot go with other actions"),
            )
        )
    if "other" in actions and not note:
        problems.append(
            FieldProblem(
                "note",
                QT_TRANSLATE_NOOP("Reactions", "say in the note which other action was taken"),
            )
        )
    return problems


def _by_problems(by: str) -> list[FieldProblem]:
    if by.strip():
        return []
    return [
        FieldProblem(
            "by",
            QT_TRANSLATE_NOOP(
                "Reactions", "every record needs the initials of the nurse who made it"
            ),
        )
    ]


def _reason_problems(reason: str) -> list[FieldProblem]:
    if reason.strip():
        return []
    return [
        FieldProblem("reason", QT_TRANSLATE_NOOP("Reactions", "say why the record is corrected"))
    ]


def _normalised(actions: Iterable[str]) -> tuple[str, ...]:
    """Actions in the ward's order, each once: the same choice is always stored alike."""
    chosen = set(actions)
    return tuple(action for action in ACTIONS if action in chosen)


def _actions_json(actions: Iterable[str]) -> str:
    return json.dumps(list(_normalised(actions)))


def _clean(text: str | None) -> str | None:
    stripped = (text or "").strip()
    return stripped or None


def _hm(ward: Ward, moment: datetime) -> str:
    return f"{ward.clock.local(moment):%H:%M}"


# -- notes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A free-text note on a patient's day as it stands now; `id` names its first version."""

    id: str
    patient_id: str
    day_id: str | None
    written_at: datetime
    text: str
    entered_by: str


def add_note(
    ward: Ward,
    admission: Admission,
    text: str,
    *,
    by: str,
    written_at: datetime | None = None,
) -> Note:
    """Write a note on the patient's day (at `written_at`, now when None).

    Raises EntryError, storing nothing, for an empty note, a time in the future or no initials.
    """
    now = ward.clock.now()
    at = written_at or now
    cleaned = _clean(text)
    problems = [*_note_problems(ward, now, cleaned, at), *_by_problems(by)]
    if problems:
        raise EntryError(problems)
    row = ward.store.insert(
        "notes",
        {
            "patient_id": admission.patient.id,
            "day_id": admission.id,
            "written_at": to_iso(at),
            "text": cleaned,
        },
        by,
    )
    return _note(row, recorded_by=by)


def correct_note(ward: Ward, note_id: str, *, text: str, by: str, reason: str) -> Note:
    """Replace a note's text; the old text stays in the history with who, when and why."""
    cleaned = _clean(text)
    problems = [*_by_problems(by), *_reason_problems(reason)]
    if cleaned is None:
        problems.append(FieldProblem("text", _EMPTY_NOTE))
    with ward.store.transaction():
        rows = ward.store.query(f"{_CURRENT_NOTES} WHERE n.root_id = ?", (note_id,))
        if not rows:
            raise StoreError(f"no note {note_id} in the record (or it was struck out)")
        current = rows[0]
        if cleaned is not None and cleaned == current["text"]:
            problems.append(FieldProblem("text", _CHANGES_NOTHING))
        if problems:
            raise EntryError(problems)
        row = ward.store.correct_in_transaction(
            "notes", current["id"], {"text": cleaned}, by, reason.strip()
        )
    return _note(row, recorded_by=current["recorded_by"])


def notes_of(ward: Ward, admission: Admission) -> list[Note]:
    """The notes of the patient's day as they stand now, oldest first."""
    rows = ward.store.query(
        f"{_CURRENT_NOTES} WHERE n.day_id = ? ORDER BY n.written_at, o.entered_at",
        (admission.id,),
    )
    return [_note(row, recorded_by=row["recorded_by"]) for row in rows]


_CURRENT_NOTES = """
    SELECT n.*, o.entered_by AS recorded_by
    FROM current_notes AS n JOIN notes AS o ON o.id = n.root_id"""


def _note_problems(
    ward: Ward, now: datetime, text: str | None, written_at: datetime
) -> list[FieldProblem]:
    problems = []
    if text is None:
        problems.append(FieldProblem("text", _EMPTY_NOTE))
    latest = now + timedelta(minutes=ward.protocol.timing.future_tolerance_min)
    if written_at > latest:
        problems.append(
            FieldProblem(
                "written_at",
                QT_TRANSLATE_NOOP("Reactions", "{time} is in the future").format(
                    time=_hm(ward, written_at)
                ),
            )
        )
    return problems


def _note(row: Row, *, recorded_by: str) -> Note:
    return Note(
        id=row["root_id"],
        patient_id=row["patient_id"],
        day_id=row["day_id"],
        written_at=from_iso(row["written_at"]),
        text=row["text"],
        entered_by=recorded_by,
    )
