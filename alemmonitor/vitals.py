"""Vital signs as the record keeps them, and a set typed by a nurse, checked before it is charted.

`check_vitals` guards the record: it refuses values no living patient can have. `assess_entry`
reads what a nurse typed (comma decimals, stray spaces and units, a temperature in °F) and sorts it
into values ready to chart, values refused with the reason, possible but unusual values the nurse
must confirm, and suggestions. What counts as unusual is site data, `resources/vitals_entry.yaml`.

Besides the monitors' parameters (`devices.readings.Parameter`), a typed set may hold the two
NEWS2 needs that no monitor sends: consciousness on the ACVPU scale (`acvpu`, stored as its code
A=0 ... U=4) and oxygen (`o2_flow` in L/min, 0 meaning room air).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Final, Literal, Protocol

from alemmonitor.datafiles import Ge, Gt, Le, file_key, parse_yaml_model, read_text
from alemmonitor.display import duration_text
from alemmonitor.errors import DataFileError, EntryError, FieldProblem
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from devices.readings import CANONICAL_UNIT, PLAUSIBLE_RANGE, Parameter

ACVPU: Final = "acvpu"
"""Consciousness on the ACVPU scale, stored as the level's code."""
O2_FLOW: Final = "o2_flow"
"""Supplemental oxygen in L/min; 0 means the patient breathes room air."""
MANUAL_SOURCE: Final = "manual"
"""The source of every value a nurse charted (typed, or confirmed from the monitor)."""

ACVPU_LEVELS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "A": QT_TRANSLATE_NOOP("Vitals", "Alert"),
        "C": QT_TRANSLATE_NOOP("Vitals", "new Confusion"),
        "V": QT_TRANSLATE_NOOP("Vitals", "responds to Voice"),
        "P": QT_TRANSLATE_NOOP("Vitals", "responds to Pain"),
        "U": QT_TRANSLATE_NOOP("Vitals", "Unresponsive"),
    }
)
"""The ACVPU scale from best to worst; a level's stored code is its position (A=0 ... U=4)."""
ACVPU_CODE: Final[Mapping[str, int]] = MappingProxyType(
    {letter: code for code, letter in enumerate(ACVPU_LEVELS)}
)

UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {
        **{parameter.value: unit for parameter, unit in CANONICAL_UNIT.items()},
        ACVPU: "{ACVPU}",
        O2_FLOW: "L/min",
    }
)
"""The unit (UCUM) each charted parameter is stored in."""

POSSIBLE_RANGE: Final[Mapping[str, tuple[float, float]]] = MappingProxyType(
    {
        **{parameter.value: bounds for parameter, bounds in PLAUSIBLE_RANGE.items()},
        ACVPU: (0.0, 4.0),
        # Up to what high-flow nasal oxygen gives; anything more is a typing error.
        O2_FLOW: (0.0, 60.0),
    }
)
"""The values a living patient can have, per parameter (inclusive), in the stored unit."""

LABELS: Mapping[str, Text] = MappingProxyType(
    {
        Parameter.HR: QT_TRANSLATE_NOOP("Vitals", "Heart rate"),
        Parameter.PR: QT_TRANSLATE_NOOP("Vitals", "Pulse rate"),
        Parameter.SBP: QT_TRANSLATE_NOOP("Vitals", "Systolic BP"),
        Parameter.DBP: QT_TRANSLATE_NOOP("Vitals", "Diastolic BP"),
        Parameter.MAP: QT_TRANSLATE_NOOP("Vitals", "Mean BP"),
        Parameter.TEMP: QT_TRANSLATE_NOOP("Vitals", "Temperature"),
        Parameter.SPO2: QT_TRANSLATE_NOOP("Vitals", "SpO2"),
        Parameter.RR: QT_TRANSLATE_NOOP("Vitals", "Respiration rate"),
        ACVPU: QT_TRANSLATE_NOOP("Vitals", "Consciousness (ACVPU)"),
        O2_FLOW: QT_TRANSLATE_NOOP("Vitals", "Oxygen"),
    }
)
"""What the ward calls each parameter."""

MEASURED_FIELDS: Final = ("hr", "sbp", "dbp", "temp", "spo2", "rr")
"""The numeric fields of a typed set, in the order of the form."""
ENTRY_FIELDS: Final = (*MEASURED_FIELDS, ACVPU, O2_FLOW)
"""Every field of a typed set, in the order of the form."""

EntryField = Literal["hr", "sbp", "dbp", "temp", "spo2", "rr", "acvpu", "o2_flow"]

FAHRENHEIT_BODY_RANGE: Final = (93.0, 113.0)
"""Typed temperatures in this range are body temperatures in °F (33.9-45 °C)."""

_DISPLAY_UNIT: Final[Mapping[str, str]] = MappingProxyType({"Cel": "°C", "{ACVPU}": ""})
# Units a nurse may type after the number; longest first, so "°c" wins over "c".
_TYPED_UNITS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "hr": ("/min", "bpm"),
        "rr": ("/min",),
        "sbp": ("mmhg",),
        "dbp": ("mmhg",),
        "temp": ("°c", "c", "°"),
        "spo2": ("%",),
        O2_FLOW: ("l/min", "lpm", "l"),
    }
)
_FAHRENHEIT_UNITS: Final = ("°f", "f")
_ACVPU_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "alert": "A",
        "confusion": "C",
        "confused": "C",
        "voice": "V",
        "pain": "P",
        "unresponsive": "U",
    }
)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_BLOOD_PRESSURE = re.compile(r"([0-9]+)/([0-9]+)")
_SPACES = re.compile(r"\s+")
# No vital sign needs more characters; longer text is a key held down, not a value.
_LONGEST_NUMBER = 12


def unit_text(parameter: str) -> str:
    """The unit of a parameter as the ward writes it: '°C', 'mmHg', '/min', '' for ACVPU."""
    unit = UNITS[parameter]
    return _DISPLAY_UNIT.get(unit, unit)


def check_vitals(values: Mapping[str, float]) -> dict[str, str]:
    """Refuse an impossible set of vital signs; return each parameter's stored unit.

    Raises EntryError naming every impossible value (unknown parameter, outside what a living
    patient can have, an ACVPU code that is not a level, systolic not above diastolic).
    """
    problems: list[FieldProblem] = []
    units: dict[str, str] = {}
    if not values:
        problems.append(FieldProblem("vitals", QT_TRANSLATE_NOOP("Vitals", "no values given")))
    for name, value in values.items():
        unit = UNITS.get(name)
        if unit is None:
            problems.append(
                FieldProblem(name, QT_TRANSLATE_NOOP("Vitals", "not a vital sign the record knows"))
            )
            continue
        low, high = POSSIBLE_RANGE[name]
        if not (math.isfinite(value) and low <= value <= high):
            problems.append(
                FieldProblem(
                    name,
                    QT_TRANSLATE_NOOP(
                        "Vitals", "{value:g} {unit} is impossible (possible: {low:g}-{high:g})"
                    ).format(value=value, unit=unit, low=low, high=high),
                )
            )
            continue
        if name == ACVPU and value != int(value):
            problems.append(
                FieldProblem(
                    name,
                    QT_TRANSLATE_NOOP(
                        "Vitals", "{value:g} is not an ACVPU code (A=0 ... U=4)"
                    ).format(value=value),
                )
            )
            continue
        units[name] = unit
    systolic, diastolic = values.get(Parameter.SBP), values.get(Parameter.DBP)
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        problems.append(
            FieldProblem(
                "sbp",
                QT_TRANSLATE_NOOP(
                    "Vitals", "systolic {systolic:g} is not above diastolic {diastolic:g}"
                ).format(systolic=systolic, diastolic=diastolic),
            )
        )
    if problems:
        raise EntryError(problems)
    return units


# -- what a site finds unusual -----------------------------------------------------------------


class EntryRulesFileError(DataFileError):
    """A vitals entry rules file is malformed."""

    what = "vitals entry rules file"
    subject = "rule"


@dataclass(frozen=True, kw_only=True)
class ConfirmLimits:
    """When a possible value is unusual enough that the nurse confirms it before it is charted."""

    below: float | None = None
    above: float | None = None
    at_or_above: float | None = None

    def __post_init__(self) -> None:
        if self.above is not None and self.at_or_above is not None:
            raise ValueError("give either above or at_or_above, not both")
        upper = self.above if self.above is not None else self.at_or_above
        if self.below is None and upper is None:
            raise ValueError("give below, above or at_or_above")
        if self.below is not None and upper is not None and self.below > upper:
            raise ValueError(f"below ({self.below:g}) is higher than the upper limit ({upper:g})")

    def limits(self) -> Iterator[tuple[str, float]]:
        """Each limit given, by its name in the file."""
        for name in ("below", "above", "at_or_above"):
            value = getattr(self, name)
            if value is not None:
                yield name, value

    def unusual(self, value: float, unit: str) -> Text | None:
        """Why `value` is unusual ('below 40 /min'), or None when it is not."""
        if self.below is not None and value < self.below:
            return QT_TRANSLATE_NOOP("Vitals", "below {limit}").format(
                limit=_with_unit(self.below, unit)
            )
        if self.above is not None and value > self.above:
            return QT_TRANSLATE_NOOP("Vitals", "above {limit}").format(
                limit=_with_unit(self.above, unit)
            )
        if self.at_or_above is not None and value >= self.at_or_above:
            return QT_TRANSLATE_NOOP("Vitals", "{limit} or more").format(
                limit=_with_unit(self.at_or_above, unit)
            )
        return None


@dataclass(frozen=True, kw_only=True)
class EntryRules:
    """A site's rules for typed vital signs: back-dating, the vitals round, unusual values."""

    schema_version: Literal[1] = file_key("schema")
    backdate_reason_after_min: Annotated[int, Ge(0), Le(24 * 60)]
    monitor_value_max_age_min: Annotated[int, Gt(0), Le(60)]
    confirm: dict[EntryField, ConfirmLimits] = field(default_factory=dict)

    @property
    def backdate_reason_after(self) -> timedelta:
        """A set measured longer ago than this needs a reason."""
        return timedelta(minutes=self.backdate_reason_after_min)

    @property
    def monitor_value_max_age(self) -> timedelta:
        """Monitor values older than this are not taken into a vitals round."""
        return timedelta(minutes=self.monitor_value_max_age_min)

    def limits_for(self, parameter: str) -> ConfirmLimits | None:
        """When a value of `parameter` asks to be confirmed (None: never)."""
        return next((limits for name, limits in self.confirm.items() if name == parameter), None)


def default_entry_rules_path() -> Path:
    """The rules shipped with the app."""
    return Path(str(resources.files("resources") / "vitals_entry.yaml"))


def load_entry_rules(path: Path | None = None) -> EntryRules:
    """Read and validate a rules file (the shipped one when `path` is None).

    Raises EntryRulesFileError listing every problem with file, line and field.
    """
    path = path or default_entry_rules_path()
    return parse_entry_rules(read_text(path, EntryRulesFileError), str(path))


@functools.cache
def default_entry_rules() -> EntryRules:
    """The shipped rules, read once."""
    return load_entry_rules()


def parse_entry_rules(text: str, name: str) -> EntryRules:
    """Validate the YAML text of a rules file; `name` is used in error messages."""
    return parse_yaml_model(text, name, EntryRules, EntryRulesFileError, check=_outside_possible)


def _outside_possible(rules: EntryRules) -> Iterator[tuple[tuple[object, ...], str]]:
    # A limit outside what is possible would silently never ask (or always ask).
    for parameter, limits in rules.confirm.items():
        low, high = POSSIBLE_RANGE[parameter]
        for limit, value in limits.limits():
            if not low <= value <= high:
                possible = f"{low:g}-{_with_unit(high, unit_text(parameter))}"
                yield ("confirm", parameter, limit), f"{value:g} is outside the possible {possible}"


# -- a typed set ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A correction the nurse can take with one click: `text` goes into `field`."""

    field: str
    value: float
    text: str
    label: Text


@dataclass(frozen=True)
class Assessment:
    """What a typed set of vital signs amounts to.

    `values` holds every value that was read and is possible on its own, in stored units; the
    set may be stored only when `refused` is empty, and only after the nurse confirmed everything
    in `to_confirm`. `suggestions` offer corrections of refused values (°F to °C).
    """

    values: dict[str, float]
    refused: list[FieldProblem]
    to_confirm: list[FieldProblem]
    suggestions: list[Suggestion]
    measured_at: datetime
    backdated: bool
    backdate_reason: str

    @property
    def backdate_reason_missing(self) -> bool:
        """The set is back-dated and nobody said why."""
        return self.backdated and not self.backdate_reason

    @property
    def storable(self) -> bool:
        """Nothing is refused: the set can be stored once the unusual values are confirmed."""
        return not self.refused

    @property
    def units(self) -> dict[str, str]:
        """The stored unit of each value."""
        return {name: UNITS[name] for name in self.values}


def assess_entry(
    texts: Mapping[str, str],
    *,
    measured_at: datetime,
    now: datetime,
    backdate_reason: str,
    rules: EntryRules | None = None,
    expected: Collection[str] = (),
) -> Assessment:
    """Read and judge a set of vital signs as the nurse typed it; never raises on any text.

    `texts` holds the text of each field (`ENTRY_FIELDS`; a missing key is an empty field):
    numbers may use a decimal comma, spaces and their unit; `sbp` may hold '120/80' when `dbp` is
    empty; `acvpu` is a letter or word of the ACVPU scale; `o2_flow` in L/min, empty or 0 meaning
    air. The optional `air_or_oxygen` ('air' or 'oxygen') says what the nurse chose, so that
    oxygen without a flow is refused rather than read as air. `expected` names the parameters
    the protocol asks for; one left empty is listed to confirm. `rules` default to the shipped
    ones.
    """
    if measured_at.tzinfo is None or now.tzinfo is None:
        raise ValueError("measured_at and now must be timezone-aware")
    rules = rules or default_entry_rules()
    entry = _Entry(rules)
    systolic_text, diastolic_text = texts.get("sbp", ""), texts.get("dbp", "")
    # Nurses write a blood pressure as one "120/80"; typed so into the systolic field, it is
    # read as both when the diastolic field is still empty.
    pair = _BLOOD_PRESSURE.fullmatch(_cleaned(systolic_text).removesuffix("mmhg"))
    if pair is not None:
        if _cleaned(diastolic_text):
            entry.refuse(
                "sbp",
                QT_TRANSLATE_NOOP("Vitals", "{typed}: the diastolic has its own field").format(
                    typed=_quoted(systolic_text)
                ),
            )
            systolic_text = pair.group(1)
        else:
            systolic_text, diastolic_text = pair.groups()
    readable = {**texts, "sbp": systolic_text, "dbp": diastolic_text}
    for name in MEASURED_FIELDS:
        entry.number(name, readable.get(name, ""))
    entry.blood_pressure(readable)
    entry.consciousness(texts.get(ACVPU, ""))
    entry.oxygen(texts.get(O2_FLOW, ""), texts.get("air_or_oxygen", ""))
    typed = [name for name in (*MEASURED_FIELDS, ACVPU) if _cleaned(readable.get(name, ""))]
    if not typed:
        entry.refuse("vitals", QT_TRANSLATE_NOOP("Vitals", "nothing entered"))
    else:
        wanted = {"hr" if name == "pr" else name for name in expected}
        for name in ENTRY_FIELDS:
            if name in wanted and name not in typed:
                entry.confirm(
                    name, QT_TRANSLATE_NOOP("Vitals", "not entered: chart the set without it?")
                )

    if measured_at > now:
        entry.refuse(
            "measured_at",
            QT_TRANSLATE_NOOP("Vitals", "later than now: the time must not be in the future"),
        )
    late = now - measured_at
    backdated = late > rules.backdate_reason_after
    reason = " ".join(backdate_reason.split())
    if backdated and not reason:
        entry.refuse(
            "backdate_reason",
            QT_TRANSLATE_NOOP(
                "Vitals", "measured {duration} ago: say why it is entered late"
            ).format(duration=duration_text(late)),
        )
    return Assessment(
        values=entry.values,
        refused=entry.refused,
        to_confirm=entry.to_confirm,
        suggestions=entry.suggestions,
        measured_at=measured_at,
        backdated=backdated,
        backdate_reason=reason,
    )


class _Entry:
    """Collects what the fields of one typed set amount to."""

    def __init__(self, rules: EntryRules) -> None:
        self.rules = rules
        self.values: dict[str, float] = {}
        self.refused: list[FieldProblem] = []
        self.to_confirm: list[FieldProblem] = []
        self.suggestions: list[Suggestion] = []

    def refuse(self, name: str, message: Text) -> None:
        self.refused.append(FieldProblem(name, message))

    def confirm(self, name: str, message: Text) -> None:
        self.to_confirm.append(FieldProblem(name, message))

    def number(self, name: str, text: str) -> None:
        cleaned = _cleaned(text)
        if not cleaned:
            return
        if name == "temp" and cleaned.endswith(_FAHRENHEIT_UNITS):
            fahrenheit = _number(cleaned.removesuffix("°f").removesuffix("f"))
            if fahrenheit is None:
                self.refuse(name, _not_a_number(text))
            else:
                self._fahrenheit(fahrenheit, written=True)
            return
        value = _number(_without_unit(name, cleaned))
        if value is None:
            self.refuse(name, _not_a_number(text))
            return
        low, high = POSSIBLE_RANGE[name]
        if low <= value <= high:
            self._possible(name, value)
        elif name == "temp":
            self._impossible_temperature(value)
        else:
            self.refuse(name, _impossible(name, value, _without_unit(name, cleaned)))

    def _possible(self, name: str, value: float) -> None:
        self.values[name] = value
        limits = self.rules.limits_for(name)
        why = limits.unusual(value, unit_text(name)) if limits is not None else None
        if why is not None:
            self.confirm(
                name,
                QT_TRANSLATE_NOOP("Vitals", "{value} is unusual: {why}").format(
                    value=_with_unit(value, unit_text(name)), why=why
                ),
            )

    def _impossible_temperature(self, value: float) -> None:
        low, high = FAHRENHEIT_BODY_RANGE
        if low <= value <= high:
            self._fahrenheit(value, written=False)
        elif 250 <= value <= 450 and value == int(value):
            # Three digits and no separator: the decimal comma was not pressed hard enough.
            celsius = value / 10
            self.refuse(
                "temp",
                QT_TRANSLATE_NOOP(
                    "Vitals", "{value:g} °C is not possible — decimal comma missing?"
                ).format(value=value),
            )
            self._suggest_celsius(celsius)
        else:
            self.refuse("temp", _impossible("temp", value, ""))

    def _fahrenheit(self, fahrenheit: float, *, written: bool) -> None:
        celsius = round((fahrenheit - 32) * 5 / 9, 1)
        low, high = POSSIBLE_RANGE["temp"]
        shown = QT_TRANSLATE_NOOP("Vitals", "{fahrenheit:g} °F is {celsius:.1f} °C").format(
            fahrenheit=fahrenheit, celsius=celsius
        )
        if not low <= celsius <= high:
            self.refuse(
                "temp",
                QT_TRANSLATE_NOOP("Vitals", "{conversion}, which is not possible").format(
                    conversion=shown
                ),
            )
            return
        if written:
            self.refuse(
                "temp",
                QT_TRANSLATE_NOOP("Vitals", "the chart takes °C: {conversion}").format(
                    conversion=shown
                ),
            )
        else:
            self.refuse(
                "temp",
                QT_TRANSLATE_NOOP(
                    "Vitals", "{value:g} °C is not possible — °F? {conversion}"
                ).format(value=fahrenheit, conversion=shown),
            )
        self._suggest_celsius(celsius)

    def _suggest_celsius(self, celsius: float) -> None:
        text = f"{celsius:.1f}"
        label = QT_TRANSLATE_NOOP("Vitals", "Use {value} °C").format(value=text)
        self.suggestions.append(Suggestion("temp", float(text), text, label))

    def blood_pressure(self, texts: Mapping[str, str]) -> None:
        systolic, diastolic = self.values.get("sbp"), self.values.get("dbp")
        if systolic is not None and diastolic is not None and systolic <= diastolic:
            self.refuse(
                "sbp",
                QT_TRANSLATE_NOOP(
                    "Vitals",
                    "systolic {systolic:g} is not above diastolic {diastolic:g} — swapped?",
                ).format(systolic=systolic, diastolic=diastolic),
            )
        for name, other, missing in (
            (
                "sbp",
                "dbp",
                QT_TRANSLATE_NOOP("Vitals", "missing: blood pressure needs the systolic too"),
            ),
            (
                "dbp",
                "sbp",
                QT_TRANSLATE_NOOP("Vitals", "missing: blood pressure needs the diastolic too"),
            ),
        ):
            if _cleaned(texts.get(other, "")) and not _cleaned(texts.get(name, "")):
                self.refuse(name, missing)

    def consciousness(self, text: str) -> None:
        cleaned = _cleaned(text)
        if not cleaned:
            return
        letter = _ACVPU_WORDS.get(cleaned, cleaned.upper())
        code = ACVPU_CODE.get(letter)
        if code is None:
            self.refuse(
                ACVPU,
                QT_TRANSLATE_NOOP("Vitals", "{typed} is not one of A, C, V, P, U").format(
                    typed=_quoted(text)
                ),
            )
            return
        self.values[ACVPU] = float(code)
        limits = self.rules.limits_for(ACVPU)
        if limits is not None and limits.unusual(code, "") is not None:
            self.confirm(
                ACVPU,
                QT_TRANSLATE_NOOP("Vitals", "{letter} ({level}): not alert").format(
                    letter=letter, level=ACVPU_LEVELS[letter]
                ),
            )

    def oxygen(self, text: str, choice: str) -> None:
        cleaned = _cleaned(text)
        on_oxygen = _cleaned(choice) == "oxygen"
        if not cleaned or cleaned == "air":
            if on_oxygen:
                self.refuse(
                    O2_FLOW, QT_TRANSLATE_NOOP("Vitals", "on oxygen: give the flow in L/min")
                )
            else:
                self.values[O2_FLOW] = 0.0
            return
        value = _number(_without_unit(O2_FLOW, cleaned))
        if value is None:
            self.refuse(O2_FLOW, _not_a_number(text))
            return
        low, high = POSSIBLE_RANGE[O2_FLOW]
        if not low <= value <= high:
            self.refuse(O2_FLOW, _impossible(O2_FLOW, value, _without_unit(O2_FLOW, cleaned)))
        elif value > 0 and _cleaned(choice) == "air":
            self.refuse(
                O2_FLOW,
                QT_TRANSLATE_NOOP(
                    "Vitals", "{value:g} L/min, but air is chosen: choose oxygen"
                ).format(value=value),
            )
        elif value == 0 and on_oxygen:
            self.refuse(
                O2_FLOW,
                QT_TRANSLATE_NOOP("Vitals", "oxygen at 0 L/min: choose air, or give the flow"),
            )
        else:
            self._possible(O2_FLOW, value)


def _cleaned(text: str) -> str:
    # Gloves add spaces; keypads on other layouts give a minus sign (U+2212) for "-".
    return _SPACES.sub("", text).replace("\u2212", "-").casefold()


def _without_unit(name: str, cleaned: str) -> str:
    for unit in _TYPED_UNITS.get(name, ()):
        if cleaned.endswith(unit):
            return cleaned.removesuffix(unit)
    return cleaned


def _number(cleaned: str) -> float | None:
    if len(cleaned) > _LONGEST_NUMBER or not _NUMBER.fullmatch(cleaned):
        return None
    return float(cleaned.replace(",", "."))


def _quoted(text: str) -> str:
    shown = " ".join(text.split())
    return f"'{shown[:20]}…'" if len(shown) > 20 else f"'{shown}'"


def _not_a_number(text: str) -> Text:
    return QT_TRANSLATE_NOOP("Vitals", "{typed} is not a number").format(typed=_quoted(text))


def _with_unit(value: float, unit: str) -> str:
    return f"{value:g} {unit}" if unit else f"{value:g}"


def _impossible(name: str, value: float, digits: str) -> Text:
    unit = unit_text(name)
    low, high = POSSIBLE_RANGE[name]
    shown = _with_unit(value, unit)
    if value > high and _one_digit_too_many(digits, low, high):
        return QT_TRANSLATE_NOOP("Vitals", "{value} is not possible — typed twice?").format(
            value=shown
        )
    if name == "spo2" and value > high:
        return QT_TRANSLATE_NOOP(
            "Vitals", "{value} is not possible: SpO2 cannot be over 100 %"
        ).format(value=shown)
    return QT_TRANSLATE_NOOP("Vitals", "{value} is not possible (possible: {low:g}-{high})").format(
        value=shown, low=low, high=_with_unit(high, unit)
    )


def _one_digit_too_many(digits: str, low: float, high: float) -> bool:
    """Whether leaving out one digit gives a possible value (a key pressed twice, or bounced)."""
    if len(digits) < 3 or not digits.isascii() or not digits.isdigit():
        return False
    return any(low <= int(digits[:i] + digits[i + 1 :]) <= high for i in range(len(digits)))


# -- the vitals round ----------------------------------------------------------------------------


class DeviceValue(Protocol):
    """A monitor's latest value of a parameter (see `alemmonitor.monitoring.LatestValue`)."""

    @property
    def value(self) -> float: ...

    @property
    def at(self) -> datetime: ...

    @property
    def source(self) -> str: ...


@dataclass(frozen=True)
class MonitorOffer:
    """A monitor's latest value for one field of a typed set, as the vitals round offers it.

    `parameter` is what the monitor measured (`pr` for a pulse from the oximeter when the monitor
    has no ECG heart rate), `text` what goes into the field, `fresh` whether it is recent enough
    to be taken into the round.
    """

    field: str
    parameter: str
    value: float
    text: str
    age: timedelta
    fresh: bool


def monitor_offers(
    latest: Mapping[str, DeviceValue], now: datetime, rules: EntryRules | None = None
) -> dict[str, MonitorOffer]:
    """The monitor's latest value for each numeric field of a typed set, with its age.

    Values charted by a nurse are not offered: the round is about what the monitor shows now.
    """
    rules = rules or default_entry_rules()
    offers: dict[str, MonitorOffer] = {}
    for name in MEASURED_FIELDS:
        parameters = ("hr", "pr") if name == "hr" else (name,)
        candidates = [
            (parameter, latest[parameter])
            for parameter in parameters
            if parameter in latest
            and latest[parameter].source != MANUAL_SOURCE
            and math.isfinite(latest[parameter].value)
        ]
        if not candidates:
            continue
        # The newest wins; on a tie the ECG heart rate goes before the oximeter's pulse.
        parameter, device = max(candidates, key=lambda candidate: candidate[1].at)
        age = max(timedelta(0), now - device.at)
        text = f"{device.value:.1f}" if name == "temp" else f"{device.value:.0f}"
        offers[name] = MonitorOffer(
            name, parameter, device.value, text, age, age <= rules.monitor_value_max_age
        )
    return offers
