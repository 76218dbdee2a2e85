"""The daily infusion protocol as data: what is given, when, and what is watched.

The shipped default (`resources/protocols/default.yaml`) follows the Dresden study protocol; a site
supplies its own file for its variant (steroid "immediately prior", other premedication, an 8-hour
infusion, ...). Files are validated on load and every problem is reported with file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from alemmonitor.datafiles import (
    Ge,
    Gt,
    Le,
    MinLength,
    Pattern,
    file_key,
    parse_yaml_model,
    read_text,
)
from alemmonitor.errors import ProtocolFileError
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

SCHEMA_VERSION = 1
VITAL_PARAMETERS = ("hr", "pr", "sbp", "dbp", "map", "temp", "spo2", "rr")

PositiveMinutes = Annotated[int, Gt(0), Le(24 * 60)]
Minutes = Annotated[int, Ge(0), Le(24 * 60)]
DayNumber = Annotated[int, Ge(1), Le(10)]
StepId = Annotated[str, Pattern(r"^[a-z][a-z0-9_-]*$")]
Name = Annotated[str, MinLength(1)]
Route = Literal["IV", "oral", "SC", "IM"]
Language = Annotated[str, Pattern(r"^[a-z]{2}$")]

_ROUTES: dict[str, Text] = {
    "IV": QT_TRANSLATE_NOOP("Route", "IV"),
    "oral": QT_TRANSLATE_NOOP("Route", "oral"),
    "SC": QT_TRANSLATE_NOOP("Route", "SC"),
    "IM": QT_TRANSLATE_NOOP("Route", "IM"),
}


def route_text(route: str) -> Text:
    """A route of administration as the ward writes it ('IV'; in German 'i.v.')."""
    return _ROUTES.get(route) or Text.data(route)


@dataclass(frozen=True, kw_only=True)
class Courses:
    """How many infusion days a course has."""

    first_course_days: DayNumber
    later_course_days: DayNumber

    def days_of(self, course_number: int) -> int:
        """The number of infusion days of course `course_number` (1 = first course)."""
        return self.first_course_days if course_number == 1 else self.later_course_days


@dataclass(frozen=True, kw_only=True)
class Timing:
    """When a task counts as due or overdue, and how far ahead of the clock an entry may lie."""

    due_before_min: Minutes = 15
    overdue_after_min: Minutes = 15
    future_tolerance_min: Annotated[int, Ge(0), Le(10)] = 2


@dataclass(frozen=True, kw_only=True)
class Drug:
    """A medicine as it is prescribed: name, dose, unit and route."""

    drug: Name
    dose: Annotated[float, Gt(0)]
    unit: Literal["mg", "g", "µg", "mL", "IU"]
    route: Route

    @property
    def dose_text(self) -> str:
        """The dose as a nurse writes it: '1 g', '1000 mg'."""
        value = f"{self.dose:g}"
        return f"{value} {self.unit}"


@dataclass(frozen=True, kw_only=True)
class DaySelection:
    """On which days of a course a step applies; `None` means every day."""

    first_course: list[DayNumber] | None = None
    later_courses: list[DayNumber] | None = None

    def applies(self, course_number: int, day_number: int) -> bool:
        """Whether the step is part of day `day_number` of course `course_number`."""
        days = self.first_course if course_number == 1 else self.later_courses
        return days is None or day_number in days


@dataclass(frozen=True, kw_only=True)
class Premedication(Drug):
    """A medicine given before the infusion."""

    id: StepId
    minutes_before_infusion: Minutes
    days: DaySelection = DaySelection()


@dataclass(frozen=True, kw_only=True)
class Corticosteroid(Drug):
    """The steroid given before alemtuzumab on the first days of a course."""

    days: DaySelection
    minutes_before_infusion: Minutes
    duration_min: PositiveMinutes


@dataclass(frozen=True, kw_only=True)
class Infusion(Drug):
    """The alemtuzumab infusion itself."""

    product: Name
    volume_ml: Annotated[float, Gt(0), Le(1000)]
    duration_min: PositiveMinutes

    @property
    def rate_ml_h(self) -> float:
        """The planned rate in mL/h."""
        return self.volume_ml * 60 / self.duration_min


@dataclass(frozen=True, kw_only=True)
class Vitals:
    """Which vital signs are taken, and how often around the infusion."""

    parameters: Annotated[
        list[Literal["hr", "pr", "sbp", "dbp", "map", "temp", "spo2", "rr"]], MinLength(1)
    ]
    before_start: bool = True
    interval_min: PositiveMinutes
    until_after_end_min: Minutes


@dataclass(frozen=True, kw_only=True)
class Observation:
    """How long the patient stays under observation after the infusion ends."""

    min_after_end_min: Minutes


@dataclass(frozen=True, kw_only=True)
class LabTask:
    """A blood test taken after the infusion on given days."""

    id: StepId
    test: Name
    days: DaySelection


@dataclass(frozen=True, kw_only=True)
class Protocol:
    """A validated daily protocol for alemtuzumab infusion days."""

    schema_version: Literal[1] = file_key("schema")
    id: Annotated[str, Pattern(r"^[a-z0-9][a-z0-9._-]*$")]
    name: Name
    source: str = ""
    courses: Courses
    timing: Timing = Timing()
    premedication: list[Premedication] = field(default_factory=list)
    corticosteroid: Corticosteroid | None = None
    infusion: Infusion
    vitals: Vitals
    observation: Observation
    labs: list[LabTask] = field(default_factory=list)
    translations: dict[Language, dict[str, Annotated[str, MinLength(1)]]] = field(
        default_factory=dict
    )
    """The file's names (drugs, tests, the protocol's own) as the window shows them in other
    languages; the record and the command line keep the names as written."""

    def text(self, words: str, *, capitalised: bool = False) -> Text:
        """One of the file's names with its translations ('platelet count': 'Thrombozyten')."""
        translations = {
            language: table[words]
            for language, table in self.translations.items()
            if words in table
        }
        if capitalised:
            words = words[:1].upper() + words[1:]
            translations = {
                language: text[:1].upper() + text[1:] for language, text in translations.items()
            }
        return Text.data(words, translations)

    def names(self) -> set[str]:
        """Every name the file gives that a translation may cover."""
        drugs: list[Drug] = [*self.premedication, self.infusion]
        if self.corticosteroid is not None:
            drugs.append(self.corticosteroid)
        return {self.name, *(d.drug for d in drugs), *(lab.test for lab in self.labs)}

    def premedication_for(self, course_number: int, day_number: int) -> list[Premedication]:
        """The premedication given on that day."""
        return [p for p in self.premedication if p.days.applies(course_number, day_number)]

    def steroid_on(self, course_number: int, day_number: int) -> Corticosteroid | None:
        """The corticosteroid given on that day, if any."""
        steroid = self.corticosteroid
        if steroid is not None and steroid.days.applies(course_number, day_number):
            return steroid
        return None

    def labs_for(self, course_number: int, day_number: int) -> list[LabTask]:
        """The blood tests taken after the infusion on that day."""
        return [lab for lab in self.labs if lab.days.applies(course_number, day_number)]


def default_protocol_path() -> Path:
    """The protocol shipped with the app."""
    return Path(str(resources.files("resources") / "protocols" / "default.yaml"))


def load_protocol(path: Path | None = None) -> Protocol:
    """Read and validate a protocol file (the shipped default when `path` is None).

    Raises ProtocolFileError listing every problem with file, line and field.
    """
    path = path or default_protocol_path()
    return parse_protocol(read_text(path, ProtocolFileError), str(path))


def parse_protocol(text: str, name: str) -> Protocol:
    """Validate the YAML text of a protocol; `name` is used in error messages."""
    return parse_yaml_model(text, name, Protocol, ProtocolFileError, check=_inconsistencies)


def _inconsistencies(protocol: Protocol) -> Iterator[tuple[tuple[object, ...], str]]:
    """Problems no single field shows: repeated step ids, days beyond the course, a
    translation of a name the file does not give."""
    seen: set[str] = set()
    step_ids = [("premedication", index, p.id) for index, p in enumerate(protocol.premedication)]
    step_ids += [("labs", index, lab.id) for index, lab in enumerate(protocol.labs)]
    for section, index, step_id in step_ids:
        if step_id in seen:
            yield (section, index, "id"), f"{step_id!r} is used by another step"
        seen.add(step_id)
    selections: list[tuple[tuple[object, ...], DaySelection]] = [
        (("premedication", index, "days"), p.days) for index, p in enumerate(protocol.premedication)
    ]
    selections += [(("labs", index, "days"), lab.days) for index, lab in enumerate(protocol.labs)]
    if protocol.corticosteroid is not None:
        selections.append((("corticosteroid", "days"), protocol.corticosteroid.days))
    courses = protocol.courses
    for loc, selection in selections:
        for key, days, limit in (
            ("first_course", selection.first_course, courses.first_course_days),
            ("later_courses", selection.later_courses, courses.later_course_days),
        ):
            for day in days or []:
                if day > limit:
                    yield (*loc, key), f"day {day} is beyond the course's {limit} days"
    names = protocol.names()
    for language, table in protocol.translations.items():
        for words in table:
            if words not in names:
                yield (
                    ("translations", language, words),
                    f"{words!r} is not a drug, test or name of this protocol",
                )
