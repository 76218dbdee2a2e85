"""The unit's alarm rules as data: limits per parameter and priority, technical and process
alarms, NEWS2 bands, and the alemtuzumab warning (stroke, dissection, cardiac, pulmonary).

The shipped rules are `resources/alarms.yaml`; a site may start the app with its own file.
Every problem in a file is reported as 'file:line: field: message'.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from enum import IntEnum
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
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.vitals import POSSIBLE_RANGE
from devices.readings import Parameter


class Priority(IntEnum):
    """An alarm's priority (IEC 60601-1-8): high calls for immediate response."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        """'high', 'medium', 'low': the name in files and the record."""
        return self.name.lower()

    @property
    def text(self) -> Text:
        """The priority as a nurse reads it."""
        return _PRIORITY_TEXTS[self]


_PRIORITY_TEXTS = {
    Priority.LOW: QT_TRANSLATE_NOOP("Priority", "low"),
    Priority.MEDIUM: QT_TRANSLATE_NOOP("Priority", "medium"),
    Priority.HIGH: QT_TRANSLATE_NOOP("Priority", "high"),
}

PriorityName = Literal["low", "medium", "high"]
Side = Literal["low", "high"]


def priority_named(name: str) -> Priority:
    """The priority called `name` ('low', 'medium', 'high')."""
    return Priority[name.upper()]


class AlarmRulesFileError(DataFileError):
    """An alarm rules file is malformed."""

    what = "alarm rules file"
    subject = "alarm rule"


@dataclass(frozen=True, kw_only=True)
class Levels:
    """One side's limits: the value at which each priority begins (low, medium, high)."""

    low: float | None = None
    medium: float | None = None
    high: float | None = None

    def items(self) -> Iterator[tuple[Priority, float]]:
        """(priority, limit) for each level given, least severe first."""
        for priority in Priority:
            value = getattr(self, priority.label)
            if value is not None:
                yield priority, value


@dataclass(frozen=True, kw_only=True)
class ParameterLimits:
    """A parameter's limits below and above, how far back inside a limit a value must come
    before its alarm ends (`hysteresis`, so that a value hovering at a limit does not start
    and end the same alarm over and over), and how long a value stays current."""

    stale_after_s: Annotated[int, Gt(0), Le(24 * 3600)]
    hysteresis: Annotated[float, Ge(0)] = 0.0
    low: Levels = field(default_factory=Levels)
    high: Levels = field(default_factory=Levels)

    @property
    def stale_after(self) -> timedelta:
        """A value older than this is not the patient's current value."""
        return timedelta(seconds=self.stale_after_s)


@dataclass(frozen=True, kw_only=True)
class Technical:
    """Priorities of the monitor link's alarms."""

    link_lost: PriorityName
    silent: PriorityName
    frame_errors: PriorityName


@dataclass(frozen=True, kw_only=True)
class InfusionOverrun:
    """An infusion running longer than planned."""

    priority: PriorityName
    after_min: Annotated[int, Ge(0), Le(24 * 60)]


@dataclass(frozen=True, kw_only=True)
class SteroidInterval:
    """The methylprednisolone-to-alemtuzumab interval of the protocol, and its tolerances."""

    priority: PriorityName
    tolerance_min: Annotated[int, Ge(0), Le(240)]
    max_wait_min: Annotated[int, Ge(0), Le(24 * 60)]


@dataclass(frozen=True, kw_only=True)
class Process:
    """Priorities of the day's process alarms."""

    vitals_overdue: PriorityName
    task_overdue: PriorityName
    infusion_overrun: InfusionOverrun
    steroid_interval: SteroidInterval
    observation_short: PriorityName


@dataclass(frozen=True, kw_only=True)
class News2Alarms:
    """The priority of each NEWS2 band that alarms (the low band never does)."""

    low_medium: PriorityName
    medium: PriorityName
    high: PriorityName


@dataclass(frozen=True, kw_only=True)
class WarningSign:
    """One item of the warning checklist, with its words in other languages."""

    id: Annotated[str, MinLength(1), Pattern(r"^[a-z0-9_]+$")]
    text: Annotated[str, MinLength(1)]
    translations: dict[Annotated[str, Pattern(r"^[a-z]{2}$")], Annotated[str, MinLength(1)]] = (
        field(default_factory=dict)
    )

    @property
    def words(self) -> Text:
        """The sign as the window shows it, in its language."""
        return Text.data(self.text, self.translations)


@dataclass(frozen=True, kw_only=True)
class WarningRules:
    """When the alemtuzumab warning checklist opens, and what it asks."""

    priority: PriorityName
    sbp_at_or_above: Annotated[float, Gt(0)]
    dbp_at_or_above: Annotated[float, Gt(0)]
    sbp_rise: Annotated[float, Gt(0)]
    rise_within_min: Annotated[int, Gt(0), Le(24 * 60)]
    signs: Annotated[list[WarningSign], MinLength(1)]

    def __post_init__(self) -> None:
        ids = [sign.id for sign in self.signs]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise ValueError(f"sign ids given twice: {', '.join(doubled)}")


@dataclass(frozen=True, kw_only=True)
class Audio:
    """How long an audio pause lasts at most."""

    pause_s: Annotated[int, Gt(0), Le(120)]


@dataclass(frozen=True, kw_only=True)
class AlarmRules:
    """A unit's alarm rules."""

    schema_version: Literal[1] = file_key("schema")
    limits: dict[Parameter, ParameterLimits]
    technical: Technical
    process: Process
    news2: News2Alarms
    warning: WarningRules
    audio: Audio

    def limits_of(self, parameter: str) -> ParameterLimits | None:
        """The site's limits of `parameter`, if it has any."""
        return next((lim for name, lim in self.limits.items() if name == parameter), None)

    @property
    def audio_pause(self) -> timedelta:
        """The longest an audio pause lasts."""
        return timedelta(seconds=self.audio.pause_s)


def default_rules_path() -> Path:
    """The rules shipped with the app."""
    return Path(str(resources.files("resources") / "alarms.yaml"))


def load_alarm_rules(path: Path | None = None) -> AlarmRules:
    """Read and validate an alarm rules file (the shipped one when `path` is None).

    Raises AlarmRulesFileError listing every problem with file, line and field.
    """
    path = path or default_rules_path()
    return parse_alarm_rules(read_text(path, AlarmRulesFileError), str(path))


@functools.cache
def default_alarm_rules() -> AlarmRules:
    """The shipped rules, read once."""
    return load_alarm_rules()


def parse_alarm_rules(text: str, name: str) -> AlarmRules:
    """Validate the YAML text of an alarm rules file; `name` is used in error messages."""
    return parse_yaml_model(text, name, AlarmRules, AlarmRulesFileError, check=_inconsistent)


def _inconsistent(rules: AlarmRules) -> Iterator[tuple[tuple[object, ...], str]]:
    for parameter, limits in rules.limits.items():
        low, high = POSSIBLE_RANGE[parameter]
        for side_name, side in (("low", limits.low), ("high", limits.high)):
            for priority, value in side.items():
                if not low <= value <= high:
                    yield (
                        ("limits", parameter.value, side_name, priority.label),
                        f"{value:g} is outside the possible {low:g}-{high:g}",
                    )
        # A more severe level must lie further out, or it could never be reached first.
        lows = [value for _, value in limits.low.items()]
        highs = [value for _, value in limits.high.items()]
        if lows != sorted(lows, reverse=True):
            yield ("limits", parameter.value, "low"), "a more severe level must be lower"
        if highs != sorted(highs):
            yield ("limits", parameter.value, "high"), "a more severe level must be higher"
        if lows and highs and max(lows) >= min(highs):
            yield ("limits", parameter.value), "the low limits must lie below the high limits"


@dataclass(frozen=True)
class LimitChange:
    """A patient's own limit for one level of one parameter, replacing the site's.

    `value` None switches that level off for the patient (never allowed for high priority).
    """

    parameter: str
    side: Side
    priority: Priority
    value: float | None
    reason: str
    by: str
