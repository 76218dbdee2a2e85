"""Blood results typed from a lab report, checked before anything is stored.

`assess_results` reads what a nurse typed for each analyte (decimal comma, '<0.05', a unit after
the number, thousands written '180.000 /µL') in the unit chosen beside the field, converts it to
the stored unit, and sorts the entry into values ready to store, values refused with the reason,
values that look like a unit mix-up and must be confirmed, and the unit that would make sense.
A value impossible in the chosen unit but possible in another is a slip of the unit: refused,
with the other unit offered. A value outside the reference range that another unit would put
inside it is asked about. Never raises on any text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from alemmonitor.errors import FieldProblem
from alemmonitor.labs import (
    ANALYTES,
    FINDINGS,
    LABELS,
    URINALYSIS,
    SamplingPoint,
    format_value,
)
from alemmonitor.labs_catalog import Analyte, LabCatalog, Range, Unit, default_catalog
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

GENERAL = "results"
"""The field name of problems that concern the whole entry."""

FUTURE_TOLERANCE = timedelta(minutes=2)
"""A sampling time may lie this far ahead of the laptop's clock."""
DAY_REACH = timedelta(hours=12)
"""A sample of an infusion day is taken from this long before its planned start to twice as
long after it; outside that, the time is asked about."""

_COMPARATORS = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">="}
_LEADING = re.compile(r"^(<=|>=|≤|≥|<|>)?\s*([0-9]+(?:[.,][0-9]+)?|[.,][0-9]+)\s*(.*)$")
# Thousands as they are written: "180.000", "180,000", "180 000", "180'000" (and with U+2019).
_SEPARATOR = "[ .,'\u2019]"
_GROUPED = f"[0-9]{{1,3}}(?:{_SEPARATOR}[0-9]{{3}})+"
_THOUSANDS = re.compile(rf"^(<=|>=|≤|≥|<|>)?\s*({_GROUPED})\s*(.*)$")
# No result needs more characters; longer text is a key held down, not a value.
_LONGEST = 24


@dataclass(frozen=True)
class Measured:
    """One result read from what was typed: `value` in the stored `unit`; `typed` as read
    ('899 /µL'); `comparator` when the report gave a limit ('<0.05')."""

    analyte: str
    value: float
    unit: str
    typed: str
    comparator: str | None = None


@dataclass(frozen=True)
class UnitSuggestion:
    """Another unit for a field, which the nurse can choose with one click."""

    field: str
    unit: str
    label: Text


@dataclass(frozen=True)
class SamplingContext:
    """The infusion day a sample belongs to, as far as the record knows it.

    `starts_at` is when the day was planned to start; `local` turns a time into the ward's local
    time, for messages.
    """

    starts_at: datetime
    steroid_day: bool
    local: Callable[[datetime], datetime]
    steroid_started_at: datetime | None = None
    infusion_started_at: datetime | None = None
    infusion_ended_at: datetime | None = None


@dataclass(frozen=True)
class LabAssessment:
    """What a typed set of results amounts to.

    The set may be stored only when `refused` is empty, and only after the nurse confirmed what
    `to_confirm` lists. `notes` say how a value was read (a conversion); `suggestions` offer
    another unit for a field.
    """

    values: dict[str, Measured]
    finding: str | None
    refused: list[FieldProblem]
    to_confirm: list[FieldProblem]
    notes: list[FieldProblem]
    suggestions: list[UnitSuggestion]
    point: SamplingPoint
    sampled_at: datetime
    note: str | None

    @property
    def storable(self) -> bool:
        """Nothing is refused: the set can be stored once the rest is confirmed."""
        return not self.refused


def assess_results(
    texts: Mapping[str, str],
    units: Mapping[str, str],
    *,
    sex: str,
    point: SamplingPoint,
    sampled_at: datetime,
    now: datetime,
    finding: str = "",
    note: str = "",
    required: Mapping[str, Text] | None = None,
    context: SamplingContext | None = None,
    catalog: LabCatalog | None = None,
) -> LabAssessment:
    """Read and judge a set of results as typed; never raises on any text.

    `texts` holds each analyte's field (a missing key is an empty field), `units` the UCUM code
    of the unit chosen beside it (the lab's report unit when missing); `finding` is the
    urinalysis ('unremarkable', 'abnormal' or empty), `note` what the nurse adds (an abnormal
    urinalysis must say what). `required` names analytes that must be given, with the reason
    (the follow-up slot they answer). `context` is the infusion day of the sample, if any.
    """
    if sampled_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("sampled_at and now must be timezone-aware")
    catalog = catalog or default_catalog()
    entry = _Entry(catalog, sex)
    for name in ANALYTES:
        text = texts.get(name, "")
        if text.strip():
            entry.read(name, text, units.get(name) or catalog.analyte(name).report_unit)
    cleaned_note = " ".join(note.split()) or None
    chosen = finding.strip() or None
    if chosen is not None and chosen not in FINDINGS:
        entry.refuse(
            URINALYSIS,
            QT_TRANSLATE_NOOP("Labs", "{finding} is not a finding").format(finding=repr(chosen)),
        )
        chosen = None
    if chosen == "abnormal" and cleaned_note is None:
        entry.refuse(
            "note", QT_TRANSLATE_NOOP("Labs", "say in the note what the urinalysis showed")
        )
    typed: set[str] = {name for name in ANALYTES if texts.get(name, "").strip()}
    if not typed and chosen is None:
        entry.refuse(GENERAL, QT_TRANSLATE_NOOP("Labs", "nothing entered"))
    for wanted, why in (required or {}).items():
        given = chosen is not None if wanted == URINALYSIS else wanted in typed
        if not given:
            entry.refuse(wanted, why)
    _check_time(entry, point, sampled_at, now, context)
    return LabAssessment(
        values=entry.values,
        finding=chosen,
        refused=entry.refused,
        to_confirm=entry.to_confirm,
        notes=entry.notes,
        suggestions=entry.suggestions,
        point=point,
        sampled_at=sampled_at,
        note=cleaned_note,
    )


def _check_time(
    entry: _Entry,
    point: SamplingPoint,
    sampled_at: datetime,
    now: datetime,
    context: SamplingContext | None,
) -> None:
    if sampled_at > now + FUTURE_TOLERANCE:
        entry.refuse(
            "sampled_at",
            QT_TRANSLATE_NOOP("Labs", "later than now: the sample cannot be taken in the future"),
        )
        return
    if context is None:
        return
    local = context.local

    def hm(moment: datetime) -> str:
        return f"{local(moment):%H:%M}"

    if point is SamplingPoint.FOLLOW_UP:
        entry.refuse(
            "point",
            QT_TRANSLATE_NOOP(
                "Labs", "on an infusion day, choose before or after the steroid or alemtuzumab"
            ),
        )
        return
    if point is SamplingPoint.AFTER_STEROID and not context.steroid_day:
        entry.refuse("point", QT_TRANSLATE_NOOP("Labs", "no steroid is given on this day"))
        return
    # A day may run past midnight (a late start, a long observation): what counts is how far
    # the sample lies from the day, not its calendar date.
    if not -DAY_REACH <= sampled_at - context.starts_at <= 2 * DAY_REACH:
        entry.confirm(
            "sampled_at",
            QT_TRANSLATE_NOOP(
                "Labs", "sampled {when}: far from this infusion day, which began {start}"
            ).format(
                when=f"{local(sampled_at):%d.%m.%Y %H:%M}",
                start=f"{local(context.starts_at):%d.%m.%Y %H:%M}",
            ),
        )
    steroid, ended = context.steroid_started_at, context.infusion_ended_at
    started = context.infusion_started_at
    if point is SamplingPoint.BEFORE_STEROID:
        begun = steroid if context.steroid_day else started
        if begun is not None and sampled_at > begun:
            entry.confirm(
                "sampled_at",
                QT_TRANSLATE_NOOP("Labs", "sampled at {time}, after the start at {start}").format(
                    time=hm(sampled_at), start=hm(begun)
                ),
            )
    elif point is SamplingPoint.AFTER_STEROID:
        if steroid is None or sampled_at < steroid:
            entry.confirm(
                "sampled_at",
                QT_TRANSLATE_NOOP(
                    "Labs", "sampled at {time}: the steroid had not been started then"
                ).format(time=hm(sampled_at)),
            )
    elif ended is None or sampled_at < ended:
        entry.confirm(
            "sampled_at",
            QT_TRANSLATE_NOOP("Labs", "sampled at {time}: the infusion had not ended then").format(
                time=hm(sampled_at)
            ),
        )


@dataclass
class _Entry:
    """Collects what the fields of one typed set amount to."""

    catalog: LabCatalog
    sex: str
    values: dict[str, Measured] = field(default_factory=dict)
    refused: list[FieldProblem] = field(default_factory=list)
    to_confirm: list[FieldProblem] = field(default_factory=list)
    notes: list[FieldProblem] = field(default_factory=list)
    suggestions: list[UnitSuggestion] = field(default_factory=list)

    def refuse(self, name: str, message: Text) -> None:
        self.refused.append(FieldProblem(name, message))

    def confirm(self, name: str, message: Text) -> None:
        self.to_confirm.append(FieldProblem(name, message))

    def suggest(self, name: str, unit: Unit, value: Decimal, analyte: Analyte) -> None:
        converted = _shown(unit.to_stored(value), analyte.decimals, analyte.stored_unit)
        self.suggestions.append(
            UnitSuggestion(
                name,
                unit.ucum,
                QT_TRANSLATE_NOOP("Labs", "Use {unit} ({value})").format(
                    unit=unit.shown, value=converted
                ),
            )
        )

    def read(self, name: str, text: str, chosen_ucum: str) -> None:
        analyte = self.catalog.analyte(name)
        try:
            chosen = analyte.unit_named(chosen_ucum)
        except KeyError:
            chosen = analyte.unit_named(analyte.report_unit)
        parsed = _parse(text, name, analyte, chosen)
        if isinstance(parsed, Text):
            self.refuse(name, parsed)
            return
        comparator, number, unit = parsed
        stored = unit.to_stored(number)
        value = float(round(stored, analyte.decimals + 3))
        written = f"{_plain(number)} {unit.shown}"
        typed = f"{_symbol(comparator)}{written}"
        if not analyte.possible.holds(value):
            self._impossible(name, analyte, number, unit)
            return
        self.values[name] = Measured(name, value, analyte.unit, typed, comparator)
        if unit.ucum != analyte.unit:
            self.notes.append(
                FieldProblem(
                    name,
                    QT_TRANSLATE_NOOP("Labs", "{typed} = {stored}").format(
                        typed=typed,
                        stored=_shown(stored, analyte.decimals, analyte.stored_unit),
                    ),
                )
            )
        self._mix_up(name, analyte, number, unit, value)

    def _impossible(self, name: str, analyte: Analyte, number: Decimal, unit: Unit) -> None:
        written = f"{_plain(number)} {unit.shown}"
        label = LABELS[name]
        alternative = _better_unit(analyte, number, unit, analyte.possible)
        if alternative is None:
            self.refuse(
                name,
                QT_TRANSLATE_NOOP("Labs", "{value} is not possible for {analyte}").format(
                    value=written, analyte=label
                ),
            )
            return
        self.refuse(
            name,
            QT_TRANSLATE_NOOP(
                "Labs", "{value} is not possible for {analyte} — {unit}? That is {stored}"
            ).format(
                value=written,
                analyte=label,
                unit=alternative.shown,
                stored=_shown(alternative.to_stored(number), analyte.decimals, analyte.stored_unit),
            ),
        )
        self.suggest(name, alternative, number, analyte)

    def _mix_up(
        self, name: str, analyte: Analyte, number: Decimal, unit: Unit, value: float
    ) -> None:
        """A value outside the reference range that another unit would put inside it."""
        reference = analyte.reference_for(self.sex)
        if reference.holds(value):
            return
        alternative = _better_unit(analyte, number, unit, reference)
        if alternative is None:
            return
        self.confirm(
            name,
            QT_TRANSLATE_NOOP(
                "Labs",
                "{value} lies outside the reference range ({range}); in {unit} it would lie "
                "within it: is the unit right?",
            ).format(
                value=f"{_plain(number)} {unit.shown}",
                range=range_text(reference, analyte),
                unit=alternative.shown,
            ),
        )
        self.suggest(name, alternative, number, analyte)


def _parse(
    text: str, name: str, analyte: Analyte, chosen: Unit
) -> tuple[str | None, Decimal, Unit] | Text:
    """(comparator, number in the unit, the unit) of a typed value, or why it cannot be read."""
    cleaned = text.strip().replace("\u2212", "-")
    if len(cleaned) > _LONGEST:
        return _not_a_number(text)
    match = _LEADING.match(cleaned)
    if match is None:
        return _not_a_number(text)
    comparator, digits, rest = match.groups()
    unit = chosen
    if rest.strip():
        named = analyte.unit_typed(" ".join(rest.split()))
        if named is None:
            named = analyte.unit_typed(rest.replace(" ", ""))
        if named is None:
            thousands = _THOUSANDS.match(cleaned)
            if thousands is not None and _whole(analyte, chosen):
                comparator, digits, rest = thousands.groups()
                named = chosen if not rest.strip() else analyte.unit_typed(rest.replace(" ", ""))
            if named is None:
                return QT_TRANSLATE_NOOP(
                    "Labs", "{typed} is not a unit of {analyte} ({units})"
                ).format(
                    typed=repr(rest.strip()),
                    analyte=LABELS[name],
                    units=", ".join(u.shown for u in analyte.units),
                )
        unit = named
    number = _decimal(digits, whole=_whole(analyte, unit))
    if number is None:
        return _not_a_number(text)
    return (_COMPARATORS[comparator] if comparator else None), number, unit


def _decimal(digits: str, *, whole: bool) -> Decimal | None:
    """The number in `digits`; for a count per µL, '180.000' and '180,000' are thousands."""
    plain = digits
    if whole and re.fullmatch(_GROUPED, digits):
        plain = re.sub(_SEPARATOR, "", digits)
    else:
        plain = digits.replace(",", ".")
    try:
        return Decimal(plain)
    except InvalidOperation:
        return None


def _whole(analyte: Analyte, unit: Unit) -> bool:
    """Whether values in `unit` are whole numbers (cells per µL): a separator marks thousands."""
    return bool(unit.factor * 10**analyte.decimals < 1)


def _better_unit(analyte: Analyte, number: Decimal, unit: Unit, wanted: Range) -> Unit | None:
    """Another unit in which `number` would lie in `wanted`, if there is one."""
    for other in analyte.units:
        if other.ucum == unit.ucum or other.factor == unit.factor:
            continue
        if wanted.holds(float(other.to_stored(number))):
            return other
    return None


def _plain(number: Decimal) -> str:
    """A typed number as the nurse meant it ('0.90', '180000')."""
    return format(number, "f")


def _symbol(comparator: str | None) -> str:
    return {None: "", "<": "<", ">": ">", "<=": "≤", ">=": "≥"}[comparator]


def _shown(value: Decimal, decimals: int, unit: Unit) -> str:
    return f"{format_value(float(value), decimals)} {unit.shown}"


def _not_a_number(text: str) -> Text:
    shown = " ".join(text.split())
    quoted = f"'{shown[:20]}…'" if len(shown) > 20 else f"'{shown}'"
    return QT_TRANSLATE_NOOP("Labs", "{typed} is not a number").format(typed=quoted)


def range_text(reference: Range, analyte: Analyte) -> str:
    """A reference range as a lab report prints it: '1.80-7.70 10⁹/L', '≤ 5.0 mg/L'."""
    unit = analyte.stored_unit.shown
    low, high = reference.low, reference.high
    places = analyte.decimals
    if low is not None and high is not None:
        return f"{format_value(low, places)}-{format_value(high, places)} {unit}"
    if high is not None:
        return f"≤ {format_value(high, places)} {unit}"
    return f"≥ {format_value(low or 0.0, places)} {unit}"
