"""Protocol files: the shipped default, a site's own file, and bad files refused with file:line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from alemmonitor.errors import ProtocolFileError
from alemmonitor.infusion_day import DayPlan, InfusionDay
from alemmonitor.protocol import Protocol, default_protocol_path, load_protocol

BERLIN = ZoneInfo("Europe/Berlin")
EIGHT_IN_DRESDEN = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)

SITE = """\
schema: 1
id: site-8h
name: Alemtuzumab over 8 hours, steroid immediately prior
courses:
  first_course_days: 5
  later_course_days: 3
premedication:
  - id: famotidine
    drug: famotidine
    dose: 20
    unit: mg
    route: oral
    minutes_before_infusion: 60
  - id: paracetamol
    drug: paracetamol
    dose: 1
    unit: g
    route: IV
    minutes_before_infusion: 30
corticosteroid:
  drug: methylprednisolone
  dose: 1000
  unit: mg
  route: IV
  days:
    first_course: [1, 2, 3]
    later_courses: [1, 2, 3]
  minutes_before_infusion: 30
  duration_min: 30
infusion:
  drug: alemtuzumab
  product: Lemtrada
  dose: 12
  unit: mg
  route: IV
  volume_ml: 100
  duration_min: 480
vitals:
  parameters: [sbp, dbp, hr, temp]
  interval_min: 60
  until_after_end_min: 60
observation:
  min_after_end_min: 120
labs:
  - id: platelets
    test: platelet count
    days:
      first_course: [3, 5]
      later_courses: [3]
"""


def write(tmp_path: Path, text: str | bytes, name: str = "site.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def site_with(old: str, new: str) -> str:
    """The site file with one passage changed."""
    assert SITE.count(old) == 1, old
    return SITE.replace(old, new)


def local_plan(protocol: Protocol, day_number: int) -> dict[str, str]:
    day = InfusionDay(DayPlan(protocol, 1, day_number, EIGHT_IN_DRESDEN))
    status = day.status(EIGHT_IN_DRESDEN)
    return {task.id: f"{task.planned_at.astimezone(BERLIN):%H:%M}" for task in status.tasks}


# -- the shipped default -----------------------------------------------------------------------


def test_the_default_protocol_is_the_reference_course() -> None:
    protocol = load_protocol()

    assert load_protocol(default_protocol_path()) == protocol
    assert protocol.courses.days_of(1) == 5
    assert protocol.courses.days_of(2) == protocol.courses.days_of(3) == 3
    infusion = protocol.infusion
    assert (infusion.drug, infusion.product, infusion.dose_text, infusion.route) == (
        "alemtuzumab",
        "Lemtrada",
        "12 mg",
        "IV",
    )
    assert (infusion.volume_ml, infusion.duration_min, infusion.rate_ml_h) == (100, 240, 25)
    paracetamol = {p.id: p for p in protocol.premedication}["paracetamol"]
    assert (paracetamol.drug, paracetamol.dose_text, paracetamol.route) == (
        "paracetamol",
        "1 g",
        "IV",
    )
    assert protocol.vitals.interval_min == 60
    assert protocol.vitals.until_after_end_min == 60
    assert protocol.vitals.before_start
    assert {"sbp", "dbp", "hr", "temp"} <= set(protocol.vitals.parameters)
    assert protocol.observation.min_after_end_min >= 120


@pytest.mark.parametrize(
    ("course", "day_number", "steroid", "platelets"),
    [
        (1, 1, True, False),
        (1, 2, True, False),
        (1, 3, True, True),
        (1, 4, False, False),
        (1, 5, False, True),
        (2, 1, True, False),
        (2, 2, True, False),
        (2, 3, True, True),
        (4, 3, True, True),
    ],
)
def test_the_default_gives_steroid_and_platelets_on_the_reference_days(
    protocol: Protocol, course: int, day_number: int, steroid: bool, platelets: bool
) -> None:
    given = protocol.steroid_on(course, day_number)

    assert (given is not None) == steroid
    if given is not None:
        assert (given.drug, given.dose_text, given.route) == ("methylprednisolone", "1000 mg", "IV")
        assert given.minutes_before_infusion == 60
    assert [lab.id for lab in protocol.labs_for(course, day_number)] == (
        ["platelets"] if platelets else []
    )
    assert "paracetamol" in {p.id for p in protocol.premedication_for(course, day_number)}


# -- a site's own file -------------------------------------------------------------------------


def test_a_site_file_loads_and_changes_the_plan(protocol: Protocol, tmp_path: Path) -> None:
    site = load_protocol(write(tmp_path, SITE))

    default_plan, site_plan = local_plan(protocol, 1), local_plan(site, 1)

    assert site.id == "site-8h"
    assert site.infusion.duration_min == 480
    assert site.infusion.rate_ml_h == 12.5
    assert [p.id for p in site.premedication] == ["famotidine", "paracetamol"]
    assert (default_plan["steroid"], default_plan["infusion-start"]) == ("08:30", "09:30")
    assert (default_plan["infusion-end"], default_plan["observation-end"]) == ("13:30", "15:30")
    assert site_plan["famotidine"] == "08:00"
    assert site_plan["steroid"] == "08:30"
    assert site_plan["steroid-finish"] == site_plan["infusion-start"] == "09:00"
    assert site_plan["infusion-end"] == "17:00"
    assert site_plan["observation-end"] == "19:00"
    hourly = [task_id for task_id in site_plan if task_id.startswith("vitals-")]
    assert len(hourly) == 1 + 9
    assert "acyclovir" not in site_plan


def test_a_site_without_steroid_or_labs_plans_neither(tmp_path: Path) -> None:
    text = SITE[: SITE.index("\ncorticosteroid:")] + SITE[SITE.index("\ninfusion:") :]
    text = text[: text.index("\nlabs:") + 1]

    site = load_protocol(write(tmp_path, text))

    plan = local_plan(site, 3)
    assert site.corticosteroid is None
    assert site.labs == []
    assert {"steroid", "steroid-finish", "platelets"}.isdisjoint(plan)
    assert plan["famotidine"] == "08:00"
    assert plan["infusion-start"] == "09:00"


# -- bad files, each problem with file, line and field -----------------------------------------

BAD_FILES = {
    "wrong type": (
        site_with("  duration_min: 480\n", "  duration_min: eight hours\n"),
        37,
        "infusion.duration_min",
        "valid integer",
    ),
    "wrong type in a list item": (
        site_with("    dose: 20\n", "    dose: twenty\n"),
        10,
        "premedication.0.dose",
        "valid number",
    ),
    "a value not allowed": (
        site_with("    route: oral\n", "    route: by mouth\n"),
        12,
        "premedication.0.route",
        "'IV', 'oral', 'SC' or 'IM'",
    ),
    "an interval of zero minutes": (
        site_with("  interval_min: 60\n", "  interval_min: 0\n"),
        40,
        "vitals.interval_min",
        "greater than 0",
    ),
    "missing required field": (
        site_with("  volume_ml: 100\n", ""),
        31,
        "infusion.volume_ml",
        "Field required",
    ),
    "missing required field in a list item": (
        site_with("    test: platelet count\n", ""),
        45,
        "labs.0.test",
        "Field required",
    ),
    "missing required section": (
        site_with("observation:\n  min_after_end_min: 120\n", ""),
        1,
        "observation",
        "Field required",
    ),
    "unknown field": (
        site_with("  duration_min: 480\n", "  duration_min: 480\n  speed: slow\n"),
        38,
        "infusion.speed",
        "Extra inputs are not permitted",
    ),
    "unknown section": (
        SITE + "colour: red\n",
        50,
        "colour",
        "Extra inputs are not permitted",
    ),
    "a steroid day beyond the first course": (
        site_with("    first_course: [1, 2, 3]\n", "    first_course: [1, 2, 6]\n"),
        26,
        "corticosteroid.days.first_course",
        "day 6 is beyond the course's 5 days",
    ),
    "a lab day beyond later courses": (
        site_with("      later_courses: [3]\n", "      later_courses: [4]\n"),
        49,
        "labs.0.days.later_courses",
        "day 4 is beyond the course's 3 days",
    ),
    "duplicate premedication ids": (
        site_with("  - id: paracetamol\n", "  - id: famotidine\n"),
        14,
        "premedication.1.id",
        "famotidine",
    ),
    "a lab id repeating a premedication id": (
        site_with("  - id: platelets\n", "  - id: paracetamol\n"),
        45,
        "labs.0.id",
        "paracetamol",
    ),
    "a key given twice": (
        site_with("  volume_ml: 100\n", "  volume_ml: 100\n  volume_ml: 50\n"),
        37,
        "infusion.volume_ml",
        "given twice",
    ),
    "a top-level key given twice": (
        SITE + "id: other-site\n",
        50,
        "id",
        "given twice",
    ),
}


@pytest.mark.parametrize(("text", "line", "field", "message"), BAD_FILES.values(), ids=BAD_FILES)
def test_a_bad_file_is_refused_naming_file_line_and_field(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(ProtocolFileError) as refused:
        load_protocol(path)

    assert refused.value.path == str(path)
    located = [p for p in refused.value.problems if p.startswith(f"{path}:{line}: {field}")]
    assert located, refused.value.problems
    assert message in located[0]
    assert str(path) in str(refused.value)


def test_every_problem_of_a_file_is_listed_with_its_own_line(tmp_path: Path) -> None:
    text = site_with("    dose: 20\n", "    dose: twenty\n")
    text = text.replace("  duration_min: 480\n", "  duration_min: 480\n  speed: slow\n")
    path = write(tmp_path, text)

    with pytest.raises(ProtocolFileError) as refused:
        load_protocol(path)

    heads = [problem.split(": ", 2)[:2] for problem in refused.value.problems]
    assert heads == [[f"{path}:10", "premedication.0.dose"], [f"{path}:38", "infusion.speed"]]


NOT_PROTOCOLS = {
    "invalid YAML": (
        site_with("    route: oral\n", "    route: oral: tablets\n"),
        12,
        "not valid YAML",
    ),
    "a list": ("- acyclovir\n- paracetamol\n", 1, "must hold a mapping of protocol fields"),
    "a single word": ("alemtuzumab\n", 1, "must hold a mapping of protocol fields"),
    "an empty file": ("", 1, "must hold a mapping of protocol fields"),
    "only comments": ("# to be written\n", 1, "must hold a mapping of protocol fields"),
}


@pytest.mark.parametrize(("text", "line", "message"), NOT_PROTOCOLS.values(), ids=NOT_PROTOCOLS)
def test_a_file_that_is_not_a_protocol_is_refused_with_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)

    with pytest.raises(ProtocolFileError) as refused:
        load_protocol(path)

    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith(f"{path}:{line}: ")
    assert message in refused.value.problems[0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda tmp: tmp / "missing.yaml", id="missing"),
        pytest.param(lambda tmp: tmp, id="a folder"),
        pytest.param(lambda tmp: write(tmp, b"name: \xff\xfe Lemtrada\n"), id="not UTF-8"),
    ],
)
def test_an_unreadable_file_is_refused_naming_it(
    tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    path = make(tmp_path)

    with pytest.raises(ProtocolFileError) as refused:
        load_protocol(path)

    assert refused.value.path == str(path)
    assert len(refused.value.problems) == 1
    assert refused.value.problems[0].startswith(f"{path}: cannot be read: ")
