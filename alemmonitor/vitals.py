"""Vital signs as the record keeps them: parameters, canonical units, what is possible."""

from __future__ import annotations

from collections.abc import Mapping

from alemmonitor.errors import EntryError, FieldProblem
from devices.readings import CANONICAL_UNIT, PLAUSIBLE_RANGE, Parameter, is_plausible

LABELS: Mapping[Parameter, str] = {
    Parameter.HR: "Heart rate",
    Parameter.PR: "Pulse rate",
    Parameter.SBP: "Systolic BP",
    Parameter.DBP: "Diastolic BP",
    Parameter.MAP: "Mean BP",
    Parameter.TEMP: "Temperature",
    Parameter.SPO2: "SpO2",
    Parameter.RR: "Respiration rate",
}


def check_vitals(values: Mapping[str, float]) -> dict[str, str]:
    """Refuse an impossible set of vital signs; return each parameter's canonical unit.

    Raises EntryError naming every impossible value (unknown parameter, outside what a living
    patient can have, systolic not above diastolic).
    """
    problems: list[FieldProblem] = []
    units: dict[str, str] = {}
    if not values:
        problems.append(FieldProblem("vitals", "no values given"))
    for name, value in values.items():
        try:
            parameter = Parameter(name)
        except ValueError:
            problems.append(FieldProblem(name, "not a vital sign the record knows"))
            continue
        if not is_plausible(parameter, value):
            low, high = PLAUSIBLE_RANGE[parameter]
            unit = CANONICAL_UNIT[parameter]
            problems.append(
                FieldProblem(name, f"{value:g} {unit} is impossible (possible: {low:g}-{high:g})")
            )
            continue
        units[name] = CANONICAL_UNIT[parameter]
    systolic, diastolic = values.get(Parameter.SBP), values.get(Parameter.DBP)
    if systolic is not None and diastolic is not None and systolic <= diastolic:
        problems.append(
            FieldProblem("sbp", f"systolic {systolic:g} is not above diastolic {diastolic:g}")
        )
    if problems:
        raise EntryError(problems)
    return units
