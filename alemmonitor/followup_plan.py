"""The follow-up plan after a course: the site's schedule as data, its dates, and laying it out.

`resources/followup.yaml` says which tests are taken, how often and for how long; this module
validates it, turns it into the dated slots of one course (pure date arithmetic: months end on
the month's last day when the day does not exist, and are counted from the start so that they
never drift) and stores the plan of a course that ended, with the schedule as it was then.
"""

from __future__ import annotations

import calendar
import functools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from alemmonitor.datafiles import (
    Ge,
    Le,
    MinLength,
    Pattern,
    file_key,
    parse_yaml_model,
    read_model,
    read_text,
)
from alemmonitor.errors import DataFileError, StoreError
from alemmonitor.labs import ENTRY_FIELDS
from alemmonitor.store import Row, Store
from alemmonitor.texts import Text

Identifier = Annotated[str, Pattern(r"^[a-z][a-z0-9_-]*$")]
Language = Annotated[str, Pattern(r"^[a-z]{2}$")]
Words = Annotated[str, MinLength(1)]


class FollowUpFileError(DataFileError):
    """A follow-up plan file is malformed."""

    what = "follow-up plan file"
    subject = "follow-up plan"


@dataclass(frozen=True, kw_only=True)
class FollowUpTest:
    """A test taken at follow-up visits: its name and the analytes it is made of."""

    name: Words
    analytes: Annotated[list[str], MinLength(1)]
    required: list[str] | None = None

    @property
    def needed(self) -> tuple[str, ...]:
        """The analytes without which the test does not count as done."""
        return tuple(self.required if self.required is not None else self.analytes)


@dataclass(frozen=True, kw_only=True)
class ScheduleLine:
    """Tests repeated at a fixed interval after one of the course's infusions."""

    id: Identifier
    tests: Annotated[list[str], MinLength(1)]
    after: Literal["first_infusion", "last_infusion"]
    every_days: Annotated[int, Ge(1), Le(366)] | None = None
    every_months: Annotated[int, Ge(1), Le(24)] | None = None
    until_months: Annotated[int, Ge(1), Le(240)]
    first_course_only: bool = False
    not_while: Identifier | None = None

    def __post_init__(self) -> None:
        if (self.every_days is None) == (self.every_months is None):
            raise ValueError("give either every_days or every_months")

    def applies(self, course_number: int) -> bool:
        """Whether the line is part of the plan after course `course_number`."""
        return course_number == 1 or not self.first_course_only

    def start(self, first_infusion: date, last_infusion: date) -> date:
        """The day the line counts from."""
        return first_infusion if self.after == "first_infusion" else last_infusion

    def end(self, first_infusion: date, last_infusion: date) -> date:
        """The line's last day: `until_months` after its start."""
        return add_months(self.start(first_infusion, last_infusion), self.until_months)

    def dates(self, first_infusion: date, last_infusion: date) -> Iterator[date]:
        """The line's dates: one interval after the start, then every interval to the end."""
        start = self.start(first_infusion, last_infusion)
        end = self.end(first_infusion, last_infusion)
        number = 1
        while True:
            if self.every_days is not None:
                due = start + timedelta(days=self.every_days * number)
            else:
                due = add_months(start, (self.every_months or 1) * number)
            if due > end:
                return
            yield due
            number += 1


@dataclass(frozen=True, kw_only=True)
class FollowUpSchedule:
    """The tests and the schedule of a plan, as a course's plan keeps them."""

    tests: Annotated[dict[Identifier, FollowUpTest], MinLength(1)]
    schedule: Annotated[list[ScheduleLine], MinLength(1)]
    translations: dict[Language, dict[str, Words]] = field(default_factory=dict)

    def test_name(self, test: str) -> Text:
        """A test's name with its translations ('blood count with differential')."""
        spec = self.tests.get(test)
        words = spec.name if spec is not None else test
        translations = {
            language: table[words]
            for language, table in self.translations.items()
            if words in table
        }
        return Text.data(words, translations)

    def slots(self, first_infusion: date, last_infusion: date, course_number: int) -> list[Slot]:
        """Every test of the plan after a course, by date (a test twice on a day is one slot)."""
        lines = {line.id: line for line in self.schedule if line.applies(course_number)}
        found: dict[str, Slot] = {}
        for line in lines.values():
            covered: frozenset[str] = frozenset()
            until: date | None = None
            other = lines.get(line.not_while or "")
            if other is not None:
                covered = frozenset(other.tests)
                until = other.end(first_infusion, last_infusion)
            for due in line.dates(first_infusion, last_infusion):
                for test in line.tests:
                    if test in covered and until is not None and due <= until:
                        continue
                    slot = Slot(test, due, line.id)
                    found.setdefault(slot.key, slot)
        order = list(self.tests)
        return sorted(found.values(), key=lambda s: (s.due, order.index(s.test)))

    def snapshot(self) -> str:
        """The schedule as a course's plan stores it (JSON, the tests in the file's order)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @staticmethod
    def from_snapshot(text: str) -> FollowUpSchedule:
        """A schedule as a course's plan stored it (plans laid out alike share one)."""
        return _schedule_of(text)


@dataclass(frozen=True, kw_only=True)
class FollowUpSettings(FollowUpSchedule):
    """A site's follow-up plan: the schedule, and when a test shows as due soon or overdue."""

    schema_version: Literal[1] = file_key("schema")
    due_soon_days: Annotated[int, Ge(0), Le(90)] = 7
    overdue_after_days: Annotated[int, Ge(0), Le(90)] = 3

    @property
    def plan(self) -> FollowUpSchedule:
        """What a course's plan keeps of these settings."""
        return FollowUpSchedule(
            tests=self.tests, schedule=self.schedule, translations=self.translations
        )


@functools.lru_cache(maxsize=32)
def _schedule_of(text: str) -> FollowUpSchedule:
    parsed, problems = read_model(json.loads(text), FollowUpSchedule)
    if parsed is None:
        raise ValueError(f"a stored follow-up schedule cannot be read: {problems}")
    return parsed


@dataclass(frozen=True)
class Slot:
    """One test on one date of a plan; `key` names it in the record ('blood_count:2027-01-16')."""

    test: str
    due: date
    line: str = ""

    @functools.cached_property
    def key(self) -> str:
        """How results and skips refer to the slot."""
        return f"{self.test}:{self.due.isoformat()}"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; a day the month lacks becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def default_followup_path() -> Path:
    """The plan shipped with the app."""
    return Path(str(resources.files("resources") / "followup.yaml"))


def load_followup(path: Path | None = None) -> FollowUpSettings:
    """Read and validate a follow-up plan file (the shipped one when `path` is None).

    Raises FollowUpFileError listing every problem with file, line and field.
    """
    path = path or default_followup_path()
    return parse_followup(read_text(path, FollowUpFileError), str(path))


@functools.cache
def default_followup() -> FollowUpSettings:
    """The shipped plan, read once."""
    return load_followup()


def parse_followup(text: str, name: str) -> FollowUpSettings:
    """Validate the YAML text of a follow-up plan file; `name` is used in error messages."""
    return parse_yaml_model(text, name, FollowUpSettings, FollowUpFileError, check=_inconsistencies)


def _inconsistencies(settings: FollowUpSettings) -> Iterator[tuple[tuple[object, ...], str]]:
    """Problems no single field shows: unknown analytes or tests, a line given twice, a
    `not_while` naming no line, a translation of a name the file does not give."""
    for test_id, test in settings.tests.items():
        yield from _test_inconsistencies(test_id, test)
    ids = [line.id for line in settings.schedule]
    for index, line in enumerate(settings.schedule):
        if ids.index(line.id) != index:
            yield ("schedule", index, "id"), f"{line.id!r} is used by another line"
        for position, named in enumerate(line.tests):
            if named not in settings.tests:
                yield ("schedule", index, "tests", position), f"{named!r} is not a test of tests"
        if line.not_while is not None and (line.not_while not in ids or line.not_while == line.id):
            yield ("schedule", index, "not_while"), f"{line.not_while!r} is not another line"
    names = {spec.name for spec in settings.tests.values()}
    for language, table in settings.translations.items():
        for words in table:
            if words not in names:
                yield ("translations", language, words), f"{words!r} is not a test's name"


def _test_inconsistencies(
    test_id: str, test: FollowUpTest
) -> Iterator[tuple[tuple[object, ...], str]]:
    for index, analyte in enumerate(test.analytes):
        if analyte not in ENTRY_FIELDS:
            yield ("tests", test_id, "analytes", index), f"{analyte!r} is not an analyte"
    for index, analyte in enumerate(test.required or []):
        if analyte not in test.analytes:
            yield (
                ("tests", test_id, "required", index),
                f"{analyte!r} is not one of the test's analytes",
            )


# -- the record ----------------------------------------------------------------------------------


def infusion_dates(store: Store, course_id: str) -> list[date]:
    """The dates of the course's days on which alemtuzumab was started, in order."""
    rows = store.query(
        """SELECT d.date FROM current_infusion_days AS d
           WHERE d.course_id = ? AND EXISTS (
               SELECT 1 FROM current_events AS e
               WHERE e.day_id = d.root_id AND e.kind = 'infusion_started')
           ORDER BY d.date""",
        (course_id,),
    )
    return [date.fromisoformat(row["date"]) for row in rows]


def plan_of_course(store: Store, course_id: str) -> Row | None:
    """The follow-up plan laid out for the course, as it stands, if there is one."""
    rows = store.current("followup_plans", "course_id = ?", (course_id,))
    return rows[0] if rows else None


def lay_out_in_transaction(
    store: Store,
    settings: FollowUpSettings,
    course: Row,
    *,
    by: str,
    ended_by_event: str | None = None,
    reason: str | None = None,
) -> Row:
    """Store the follow-up plan of a course that ended, in the transaction that is open.

    `course` is the course's current row; `reason` says why it ended now, kept with the plan
    (the course ended early when fewer of its days had an infusion than it has days). Raises
    StoreError when the course already has a plan or none of its infusions was started.
    """
    course_id = course["root_id"]
    if plan_of_course(store, course_id) is not None:
        raise StoreError(f"course {course_id} already has a follow-up plan")
    dates = infusion_dates(store, course_id)
    if not dates:
        raise StoreError(f"no infusion of course {course_id} was started")
    early = len(dates) < course["days"]
    return store.insert_in_transaction(
        "followup_plans",
        {
            "patient_id": course["patient_id"],
            "course_id": course_id,
            "course_number": course["number"],
            "first_infusion_on": dates[0].isoformat(),
            "last_infusion_on": dates[-1].isoformat(),
            "ended_early": 1 if early else 0,
            "reason": reason,
            "ended_by_event": ended_by_event,
            "schedule": settings.plan.snapshot(),
        },
        by,
    )
