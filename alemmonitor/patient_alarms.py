"""A patient's own alarm settings and the warning checklist, as records.

- Limits: a nurse may move one level of one parameter's limits for a patient (a resting heart
  rate of 115 on steroid days would otherwise alarm all day), with a reason; a new change
  supersedes the last one for the same level, so the history shows every value and why. A
  high-priority level can be moved but never switched off.
- NEWS2's SpO2 scale 2 is prescribed per patient (hypercapnic respiratory failure), with a reason.
- The warning checklist (stroke, arterial dissection, cardiac, pulmonary haemorrhage) keeps
  every answer, what opened it, and the advice the nurse was given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from alemmonitor.alarm_rules import AlarmRules, Levels, ParameterLimits, Priority, Side
from alemmonitor.clock import from_iso, to_iso
from alemmonitor.errors import EntryError, FieldProblem
from alemmonitor.news2 import SpO2Scale
from alemmonitor.store import Row, Store
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, joined, known_text
from alemmonitor.vitals import LABELS, POSSIBLE_RANGE, unit_text

STOP_ADVICE = QT_TRANSLATE_NOOP("Alarm", "Stop the infusion and call the physician now.")
"""What the checklist says when any warning sign is present."""


@dataclass(frozen=True)
class PatientLimit:
    """One level of one parameter as the patient's own, replacing the site's."""

    parameter: str
    side: Side
    priority: Priority
    value: float | None
    reason: str
    by: str
    at: datetime


def patient_limits(store: Store, patient_id: str) -> list[PatientLimit]:
    """The patient's current own limits."""
    rows = store.current("alarm_limits", "patient_id = ?", (patient_id,))
    return [_limit(row) for row in rows]


def effective_limits(rules: AlarmRules, own: list[PatientLimit]) -> dict[str, ParameterLimits]:
    """The site's limits with the patient's own levels in their place, by parameter."""
    limits = {parameter.value: lim for parameter, lim in rules.limits.items()}
    for change in own:
        _move_level(limits, (change.parameter, change.side, change.priority), change.value)
    return limits


def _move_level(
    limits: dict[str, ParameterLimits], level: tuple[str, Side, Priority], value: float | None
) -> None:
    parameter, side_name, priority = level
    site = limits.get(parameter)
    if site is None:
        return  # a parameter the site no longer alarms on
    side = site.low if side_name == "low" else site.high
    moved = replace(side, **{priority.label: value})
    limits[parameter] = (
        replace(site, low=moved) if side_name == "low" else replace(site, high=moved)
    )


def set_patient_limit(
    store: Store,
    rules: AlarmRules,
    patient_id: str,
    level: tuple[str, Side, Priority],
    value: float | None,
    *,
    by: str,
    reason: str,
) -> PatientLimit:
    """Record a patient's own limit for one level (`value` None: the level off).

    Raises EntryError naming the field when the value is impossible, would switch off a
    high-priority level, would put the levels out of order, or the reason is missing.
    """
    parameter, side, priority = level
    problems = _limit_problems(store, rules, patient_id, level, value, reason)
    if problems:
        raise EntryError(problems)
    row = {
        "patient_id": patient_id,
        "parameter": parameter,
        "side": side,
        "priority": priority.label,
        "value": value,
        "reason": reason.strip(),
    }
    with store.transaction():
        current = store.current(
            "alarm_limits",
            "patient_id = ? AND parameter = ? AND side = ? AND priority = ?",
            (patient_id, parameter, side, priority.label),
        )
        if current:
            stored = store.correct_in_transaction(
                "alarm_limits", current[0]["id"], row, by=by, reason=reason.strip()
            )
        else:
            stored = store.insert_in_transaction("alarm_limits", row, by)
    return _limit(stored)


def _limit_problems(  # noqa: PLR0917 - the checks need all of it
    store: Store,
    rules: AlarmRules,
    patient_id: str,
    level: tuple[str, Side, Priority],
    value: float | None,
    reason: str,
) -> list[FieldProblem]:
    parameter, _, priority = level
    site = rules.limits_of(parameter)
    if site is None:
        return [
            FieldProblem(
                "parameter",
                QT_TRANSLATE_NOOP("Limits", "the unit has no alarm limits for {parameter}").format(
                    parameter=parameter
                ),
            )
        ]
    problems = []
    if not reason.strip():
        problems.append(
            FieldProblem(
                "reason", QT_TRANSLATE_NOOP("Limits", "say why this patient needs other limits")
            )
        )
    if value is None and priority is Priority.HIGH:
        problems.append(
            FieldProblem(
                "value",
                QT_TRANSLATE_NOOP("Limits", "a high-priority limit can be moved, not switched off"),
            )
        )
    if value is not None:
        low, high = POSSIBLE_RANGE[parameter]
        if not low <= value <= high:
            unit = unit_text(parameter)
            problems.append(
                FieldProblem(
                    "value",
                    QT_TRANSLATE_NOOP(
                        "Limits", "{value} is impossible: {low}-{high} {unit}"
                    ).format(value=f"{value:g}", low=f"{low:g}", high=f"{high:g}", unit=unit),
                )
            )
            return problems
    own = [
        change
        for change in patient_limits(store, patient_id)
        if (change.parameter, change.side, change.priority) != level
    ]
    candidate = effective_limits(rules, own)
    _move_level(candidate, level, value)
    order = _order_problem(parameter, candidate[parameter])
    if order:
        problems.append(FieldProblem("value", order))
    return problems


def _order_problem(parameter: str, limits: ParameterLimits) -> Text | None:
    label = LABELS.get(parameter, parameter)
    lows = [value for _, value in limits.low.items()]
    highs = [value for _, value in limits.high.items()]
    if lows != sorted(lows, reverse=True):
        return QT_TRANSLATE_NOOP(
            "Limits", "{parameter}: a more urgent low limit must be lower than a less urgent one"
        ).format(parameter=label)
    if highs != sorted(highs):
        return QT_TRANSLATE_NOOP(
            "Limits", "{parameter}: a more urgent high limit must be higher than a less urgent one"
        ).format(parameter=label)
    if lows and highs and max(lows) >= min(highs):
        return QT_TRANSLATE_NOOP(
            "Limits", "{parameter}: the low limits must stay below the high limits"
        ).format(parameter=label)
    return None


def _limit(row: Row) -> PatientLimit:
    return PatientLimit(
        parameter=row["parameter"],
        side=row["side"],
        priority=Priority[row["priority"].upper()],
        value=row["value"],
        reason=row["reason"],
        by=row["entered_by"],
        at=from_iso(row["entered_at"]),
    )


def levels_text(levels: Levels, unit: str) -> Text:
    """'medium 120, high 140 /min'."""
    given = [
        QT_TRANSLATE_NOOP("Limits", "{priority} {value}").format(
            priority=priority.text, value=f"{value:g}"
        )
        for priority, value in levels.items()
    ]
    if not given:
        return QT_TRANSLATE_NOOP("Limits", "none")
    return QT_TRANSLATE_NOOP("Limits", "{levels} {unit}").format(levels=joined(given), unit=unit)


# -- NEWS2's SpO2 scale ---------------------------------------------------------------------------


def spo2_scale(store: Store, patient_id: str) -> SpO2Scale:
    """The SpO2 scale NEWS2 uses for the patient: 1 unless scale 2 was prescribed."""
    rows = store.current("spo2_scales", "patient_id = ?", (patient_id,))
    return 2 if rows and rows[0]["scale"] == 2 else 1


def set_spo2_scale(
    store: Store, patient_id: str, scale: SpO2Scale, *, by: str, reason: str
) -> None:
    """Record the patient's SpO2 scale; EntryError if the reason is missing."""
    if not reason.strip():
        raise EntryError(
            [FieldProblem("reason", QT_TRANSLATE_NOOP("Limits", "say why the SpO2 scale changes"))]
        )
    row = {"patient_id": patient_id, "scale": scale, "reason": reason.strip()}
    with store.transaction():
        current = store.current("spo2_scales", "patient_id = ?", (patient_id,))
        if current:
            store.correct_in_transaction(
                "spo2_scales", current[0]["id"], row, by=by, reason=reason.strip()
            )
        else:
            store.insert_in_transaction("spo2_scales", row, by)


# -- the warning checklist ------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningCheck:
    """A completed warning checklist: every sign answered, what opened it, and the advice."""

    id: str
    day_id: str
    at: datetime
    trigger: str
    answers: Mapping[str, bool]
    advice: str
    by: str

    @property
    def positive(self) -> list[str]:
        """The ids of the signs present."""
        return [sign for sign, present in self.answers.items() if present]


def record_warning_check(
    store: Store,
    rules: AlarmRules,
    day_id: str,
    answers: Mapping[str, bool | None],
    *,
    trigger: str,
    by: str,
    at: datetime,
) -> WarningCheck:
    """Store a checklist in which every sign was answered yes or no.

    Raises EntryError naming each sign left unanswered (nothing is stored), or an unknown one.
    """
    known = {sign.id: sign for sign in rules.warning.signs}
    problems = [
        FieldProblem(sign_id, QT_TRANSLATE_NOOP("Warning", "not a sign of the checklist"))
        for sign_id in answers
        if sign_id not in known
    ]
    problems += [
        FieldProblem(
            sign.id,
            QT_TRANSLATE_NOOP("Warning", "answer yes or no: {sign}").format(sign=sign.words),
        )
        for sign in rules.warning.signs
        if answers.get(sign.id) is None
    ]
    if not trigger.strip():
        problems.append(
            FieldProblem("trigger", QT_TRANSLATE_NOOP("Warning", "say what opened the checklist"))
        )
    if problems:
        raise EntryError(problems)
    given = {sign.id: bool(answers[sign.id]) for sign in rules.warning.signs}
    positive = any(given.values())
    row = store.insert(
        "warning_checks",
        {
            "day_id": day_id,
            "checked_at": to_iso(at),
            "trigger": trigger.strip(),
            "answers": json.dumps(given),
            "positive": int(positive),
            "advice": STOP_ADVICE if positive else "",
        },
        by,
    )
    return _warning_check(row)


def warning_checks(store: Store, day_id: str) -> list[WarningCheck]:
    """The day's checklists, oldest first."""
    rows = store.current("warning_checks", "day_id = ? ORDER BY checked_at", (day_id,))
    return [_warning_check(row) for row in rows]


def _warning_check(row: Row) -> WarningCheck:
    return WarningCheck(
        id=row["root_id"],
        day_id=row["day_id"],
        at=from_iso(row["checked_at"]),
        trigger=row["trigger"],
        answers=json.loads(row["answers"]),
        advice=known_text(row["advice"] or "", STOP_ADVICE),
        by=row["entered_by"],
    )
