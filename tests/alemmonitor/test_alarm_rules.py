"""The alarm rules file: the shipped one is valid; a wrong one is refused naming line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from alemmonitor.alarm_rules import (
    AlarmRulesFileError,
    Priority,
    default_rules_path,
    load_alarm_rules,
    parse_alarm_rules,
)

SHIPPED = default_rules_path().read_text(encoding="utf-8")


def test_the_shipped_rules_alarm_on_every_parameter_a_monitor_sends() -> None:
    rules = load_alarm_rules()

    assert {parameter.value for parameter in rules.limits} == {
        "hr",
        "pr",
        "sbp",
        "dbp",
        "map",
        "temp",
        "spo2",
        "rr",
    }
    hr = rules.limits_of("hr")
    assert hr is not None
    assert list(hr.high.items()) == [(Priority.MEDIUM, 120), (Priority.HIGH, 140)]
    assert rules.audio_pause.total_seconds() == 120
    assert [sign.id for sign in rules.warning.signs][:3] == ["headache", "neck_pain", "face"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("high: {medium: 120, high: 140}", "high: {medium: 150, high: 140}"),
            "rules.yaml:22: limits.hr.high: a more severe level must be higher",
        ),
        (
            ("low: {medium: 92, high: 88}", "low: {medium: 92, high: 120}"),
            "limits.spo2.low.high: 120 is outside the possible 40-100",
        ),
        (("  pause_s: 120", "  pause_s: 600"), "audio.pause_s: Input should be less than or equal"),
        (("  hr:\n    stale_after_s: 60", "  pulse:\n    stale_after_s: 60"), "limits.pulse"),
        (
            ("- id: neck_pain", "- id: headache"),
            "warning: Value error, sign ids given twice: headache",
        ),
        (("silent: medium", "silent: loud"), "technical.silent: Input should be 'low'"),
    ],
)
def test_a_wrong_rules_file_is_refused_naming_line_and_field(
    change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in SHIPPED
    text = SHIPPED.replace(old, new, 1)

    with pytest.raises(AlarmRulesFileError) as refused:
        parse_alarm_rules(text, "rules.yaml")

    assert any(expected in problem for problem in refused.value.problems), refused.value.problems


def test_an_unreadable_rules_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"

    with pytest.raises(AlarmRulesFileError, match=r"nowhere\.yaml: cannot be read"):
        load_alarm_rules(missing)
