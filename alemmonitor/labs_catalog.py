"""The site's laboratory as data: each analyte's units, reference ranges, codes and CTCAE grading.

`resources/labs.yaml` is the shipped catalog; a site replaces the reference ranges with its
laboratory's. The file is validated on load, every problem reported with file, line and field, and
the CTCAE terms it grades with are checked against the CTCAE terms file.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
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
from alemmonitor.errors import DataFileError
from alemmonitor.labs import ANALYTES, AnalyteId
from alemmonitor.reactions import Ctcae, default_ctcae
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

Grade = Literal[2, 3, 4]


class LabCatalogFileError(DataFileError):
    """A lab catalog file is malformed."""

    what = "lab catalog file"
    subject = "lab catalog"


Code = Annotated[str, Pattern(r"^[0-9]{1,7}-[0-9]$")]
Words = Annotated[str, MinLength(1)]


@dataclass(frozen=True, kw_only=True)
class Unit:
    """A unit a lab report may give an analyte in, and how to turn it into the stored unit."""

    ucum: Words
    shown: Words
    factor: Annotated[float, Gt(0)] = 1.0
    typed: list[Words] = field(default_factory=list)

    def words(self) -> set[str]:
        """Everything that names this unit when typed after a number, casefolded."""
        return {word.casefold() for word in (self.ucum, self.shown, *self.typed)}

    def to_stored(self, value: Decimal) -> Decimal:
        """`value`, given in this unit, in the analyte's stored unit (exact decimal arithmetic:
        899 /µL is 0.899 10⁹/L, not 0.8990000000000001)."""
        return value * Decimal(repr(self.factor))

    def from_stored(self, value: Decimal) -> Decimal:
        """`value`, in the stored unit, in this unit."""
        return value / Decimal(repr(self.factor))


@dataclass(frozen=True, kw_only=True)
class Range:
    """A range of values in the analyte's stored unit; either end may be open."""

    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        if self.low is None and self.high is None:
            raise ValueError("give low, high or both")
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"low ({self.low:g}) is not below high ({self.high:g})")

    def below(self, value: float) -> bool:
        """Whether `value` lies below the range."""
        return self.low is not None and value < self.low

    def above(self, value: float) -> bool:
        """Whether `value` lies above the range."""
        return self.high is not None and value > self.high

    def holds(self, value: float) -> bool:
        """Whether `value` lies within the range (its ends included)."""
        return not self.below(value) and not self.above(value)


@dataclass(frozen=True, kw_only=True)
class Grading:
    """A count graded with a CTCAE term: grade 1 below the lower reference limit, grades 2-4
    below the values given."""

    term: Words
    below: dict[Grade, Annotated[float, Ge(0)]]

    def __post_init__(self) -> None:
        grades = sorted(self.below)
        if grades != [2, 3, 4]:
            raise ValueError("give the limits of grades 2, 3 and 4")
        limits = [self.below[grade] for grade in grades]
        if any(later >= earlier for earlier, later in itertools.pairwise(limits)):
            raise ValueError("each grade's limit must lie below the one of the grade before")


@dataclass(frozen=True, kw_only=True)
class Analyte:
    """One analyte as the site's laboratory reports it."""

    loinc: Code
    loinc_name: Words
    unit: Words
    report_unit: Words
    decimals: Annotated[int, Ge(0), Le(4)]
    possible: Range
    reference: Range
    reference_female: Range | None = None
    reference_male: Range | None = None
    units: Annotated[list[Unit], MinLength(1)]
    ctcae: Grading | None = None

    def __post_init__(self) -> None:
        names = [unit.ucum for unit in self.units]
        if len(set(names)) != len(names):
            raise ValueError("a unit is given twice")
        stored = next((unit for unit in self.units if unit.ucum == self.unit), None)
        if stored is None or stored.factor != 1:
            raise ValueError(f"the stored unit {self.unit} must be among the units, factor 1")
        if self.report_unit not in names:
            raise ValueError(f"the report unit {self.report_unit} is not among the units")
        words = [unit.words() for unit in self.units]
        repeated = sorted(
            {
                word
                for index, own in enumerate(words)
                for word in own
                if any(word in other for other in words[index + 1 :])
            }
        )
        if repeated:
            raise ValueError(f"{', '.join(repeated)} would name two of the units")
        if self.possible.low is None or self.possible.high is None:
            raise ValueError("possible needs both low and high")

    @property
    def stored_unit(self) -> Unit:
        """The unit results are stored and exported in."""
        return self.unit_named(self.unit)

    def unit_named(self, ucum: str) -> Unit:
        """The unit with this UCUM code; KeyError when the analyte has none."""
        for unit in self.units:
            if unit.ucum == ucum:
                return unit
        raise KeyError(ucum)

    def unit_typed(self, words: str) -> Unit | None:
        """The unit that `words` (typed after a number, any case) names, if any."""
        wanted = words.casefold()
        return next((unit for unit in self.units if wanted in unit.words()), None)

    def reference_for(self, sex: str) -> Range:
        """The reference range for a patient of this sex ('female', 'male', other, unknown)."""
        if sex == "female" and self.reference_female is not None:
            return self.reference_female
        if sex == "male" and self.reference_male is not None:
            return self.reference_male
        return self.reference


@dataclass(frozen=True, kw_only=True)
class Urinalysis:
    """Urinalysis: recorded as a finding, coded for export."""

    loinc: Code
    loinc_name: Words


@dataclass(frozen=True, kw_only=True)
class WeekFlags:
    """What goes beyond the infusion week's expected effect for one analyte."""

    flag_above_uln_times: Annotated[float, Gt(1)] | None = None
    flag_from_grade: Annotated[int, Ge(1), Le(4)] | None = None
    flag_below_baseline_percent: Annotated[float, Ge(0), Le(99)] | None = None


@dataclass(frozen=True, kw_only=True)
class LabCatalog:
    """The analytes as the site's laboratory reports them, and the infusion week's flags."""

    schema_version: Literal[1] = file_key("schema")
    analytes: dict[AnalyteId, Analyte]
    urinalysis: Urinalysis
    infusion_week: dict[AnalyteId, WeekFlags] = field(default_factory=dict)
    protocol_steps: dict[
        Annotated[str, Pattern(r"^[a-z][a-z0-9_-]*$")],
        Annotated[list[AnalyteId], MinLength(1)],
    ] = field(default_factory=dict)

    def analyte(self, name: str) -> Analyte:
        """The analyte called `name` ('neutrophils'); KeyError when the catalog has none."""
        for analyte_id, analyte in self.analytes.items():
            if analyte_id == name:
                return analyte
        raise KeyError(name)

    def flags(self, name: str) -> WeekFlags:
        """The infusion week's flags of an analyte (none set when the file gives none)."""
        return next((f for key, f in self.infusion_week.items() if key == name), WeekFlags())

    def steps_answered(self, analytes: set[str]) -> list[str]:
        """The protocol steps that results of these analytes answer."""
        return [step for step, given in self.protocol_steps.items() if analytes & set(given)]


def default_catalog_path() -> Path:
    """The catalog shipped with the app."""
    return Path(str(resources.files("resources") / "labs.yaml"))


def load_catalog(path: Path | None = None, ctcae: Ctcae | None = None) -> LabCatalog:
    """Read and validate a lab catalog (the shipped one when `path` is None) whose CTCAE terms
    are those of `ctcae` (the shipped terms when None).

    Raises LabCatalogFileError listing every problem with file, line and field.
    """
    path = path or default_catalog_path()
    return parse_catalog(read_text(path, LabCatalogFileError), str(path), ctcae)


@functools.cache
def default_catalog() -> LabCatalog:
    """The shipped catalog, read once."""
    return load_catalog()


def parse_catalog(text: str, name: str, ctcae: Ctcae | None = None) -> LabCatalog:
    """Validate the YAML text of a lab catalog; `name` is used in error messages."""
    terms = ctcae or default_ctcae()

    def inconsistencies(catalog: LabCatalog) -> Iterator[tuple[tuple[object, ...], str]]:
        yield from _inconsistencies(catalog, terms)

    return parse_yaml_model(text, name, LabCatalog, LabCatalogFileError, check=inconsistencies)


def _inconsistencies(catalog: LabCatalog, ctcae: Ctcae) -> Iterator[tuple[tuple[object, ...], str]]:
    """Problems no single field shows: an analyte left out, a range outside what is possible, a
    grade without a lower reference limit to start from, a CTCAE term the terms file lacks."""
    for name in ANALYTES:
        if name not in catalog.analytes:
            yield ("analytes",), f"{name} is missing"
    for name, analyte in catalog.analytes.items():
        yield from _analyte_inconsistencies(name, analyte, ctcae)
    for name, flags in catalog.infusion_week.items():
        flagged = catalog.analytes.get(name)
        if flagged is None:
            continue
        if flags.flag_from_grade is not None and flagged.ctcae is None:
            yield ("infusion_week", name, "flag_from_grade"), f"{name} is not graded (no ctcae)"
        if flags.flag_above_uln_times is not None and flagged.reference.high is None:
            yield (
                ("infusion_week", name, "flag_above_uln_times"),
                f"{name} has no upper reference limit",
            )


_REFERENCES = ("reference", "reference_female", "reference_male")


def _analyte_inconsistencies(
    name: str, analyte: Analyte, ctcae: Ctcae
) -> Iterator[tuple[tuple[object, ...], str]]:
    references = [(key, getattr(analyte, key)) for key in _REFERENCES]
    for key, reference in references:
        if reference is None:
            continue
        for end in (reference.low, reference.high):
            if end is not None and not analyte.possible.holds(end):
                yield ("analytes", name, key), f"{end:g} lies outside the possible values"
    grading = analyte.ctcae
    if grading is None:
        return
    if ctcae.term(grading.term) is None:
        yield (
            ("analytes", name, "ctcae", "term"),
            f"{grading.term!r} is not a term of CTCAE v{ctcae.version} here",
        )
    for key, reference in references:
        if reference is not None and reference.low is None:
            yield ("analytes", name, key), "grading needs the lower reference limit"


# -- grading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CtcaeGrade:
    """A count's CTCAE grade, with the term, the version and the grade's text."""

    term: str
    version: str
    grade: int
    text: str

    @property
    def label(self) -> Text:
        """As the ward writes it: 'Neutrophil count decreased, CTCAE v5.0 grade 3'."""
        return QT_TRANSLATE_NOOP("Labs", "{term}, CTCAE v{version} grade {grade}").format(
            term=Text.data(self.term), version=self.version, grade=self.grade
        )


def grade_of(
    analyte: Analyte,
    value: float,
    reference: Range,
    *,
    comparator: str | None = None,
    ctcae: Ctcae | None = None,
) -> CtcaeGrade | None:
    """The CTCAE grade of a count (None: not decreased, or the analyte is not graded).

    Grade 1 lies below the lower reference limit down to the grade-2 limit; each grade's lower
    limit belongs to it ("<1.5 - 1.0": 1.0 is grade 2, 0.99 grade 3). A value reported as
    "<x" is graded as just below x, one reported as ">x" as just above it.
    """
    grading = analyte.ctcae
    if grading is None or reference.low is None or not math.isfinite(value):
        return None
    tiny = 10.0 ** -(analyte.decimals + 3)
    if comparator in ("<", "<="):
        value = value - tiny if comparator == "<" else value
    elif comparator in (">", ">="):
        value = value + tiny if comparator == ">" else value
    grade = 0
    if value < reference.low:
        grade = 1
    for level, limit in sorted(grading.below.items()):
        if value < limit:
            grade = level
    if grade == 0:
        return None
    terms = ctcae or default_ctcae()
    term = terms.term(grading.term)
    text = term.grade_text(grade) if term is not None else None
    return CtcaeGrade(grading.term, terms.version, grade, text or "")
