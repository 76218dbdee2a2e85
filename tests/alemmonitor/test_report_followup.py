"""A patient's follow-up PDF, read back as a nurse would read it: a real course and follow-up
lived on a real record (tests done, missed, not done here, corrected, a severe neutropenia), the
PDF written by the command line, its text extracted with pypdf."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from alemmonitor.cli import main_headless
from alemmonitor.clock import ManualClock
from alemmonitor.followup import (
    FollowUpPlan,
    current_plan,
    record_slot_results,
    skip_slots,
)
from alemmonitor.labs import SamplingPoint
from alemmonitor.labs_entry import assess_results
from alemmonitor.labs_record import (
    LabResult,
    correct_result,
    results_of_patient,
    strike_out_result,
)
from alemmonitor.patients import Patient, PatientDraft
from alemmonitor.report import ReportOptions, followup_report
from alemmonitor.report_followup import FollowUpRecord, followup_record
from alemmonitor.report_language import report_language
from alemmonitor.store import Store
from alemmonitor.ward import Ward
from tests.infusions import give_course

BERLIN = ZoneInfo("Europe/Berlin")
NURSE = "AB"
SECOND_NURSE = "KM"
TODAY = date(2026, 3, 11)


@pytest.fixture
def clock() -> ManualClock:
    """Early on the first day of the course, 5 January 2026."""
    return ManualClock(datetime(2026, 1, 5, 7, 0, tzinfo=BERLIN), BERLIN)


def on(clock: ManualClock, day: date, hour: int = 9) -> None:
    clock.set(datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN))


def enter(ward: Ward, plan: FollowUpPlan, keys: str, texts: dict[str, str], **kw: object) -> None:
    """Results typed on the clock's day against the slots `keys` (comma-separated)."""
    now = ward.clock.now()
    assessment = assess_results(
        texts, {}, sex="female", point=SamplingPoint.FOLLOW_UP, sampled_at=now, now=now,
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip
    slots = [plan.slot(key) for key in keys.split(",")]
    record_slot_results(ward, plan, slots, assessment, by=NURSE)


def counts(neutrophils: str, lymphocytes: str, platelets: str) -> dict[str, str]:
    return {
        "leukocytes": "4,8",
        "neutrophils": neutrophils,
        "lymphocytes": lymphocytes,
        "platelets": platelets,
        "haemoglobin": "13,1",
    }


def live_follow_up(ward: Ward, clock: ManualClock) -> Patient:
    """Anna Lange's first course (5-9 January 2026) and her follow-up to 11 March: the count
    due 20 January taken a week late, that of 4 February missed, creatinine and urinalysis of
    9 February not done here, the count of 19 February with a mistyped neutrophil count
    corrected, a platelet count struck out, and a grade-3 neutropenia on 9 March."""
    anna = ward.register_patient(
        PatientDraft("P-3001", "Anna Lange", date(1986, 7, 9), "female", 64.0), NURSE
    )
    give_course(ward, clock, anna)
    plan = current_plan(ward, anna.id)
    assert plan is not None
    on(clock, date(2026, 1, 27))
    enter(ward, plan, "blood_count:2026-01-20", counts("3,9", "0,2", "198"))
    on(clock, date(2026, 2, 10))
    skip_slots(
        ward,
        plan,
        [plan.slot("creatinine:2026-02-09"), plan.slot("urinalysis:2026-02-09")],
        by=SECOND_NURSE,
        reason="taken by the GP, letter to follow",
    )
    on(clock, date(2026, 2, 19))
    enter(ward, plan, "blood_count:2026-02-19", counts("1,2", "0,4", "176"))
    on(clock, date(2026, 2, 20), hour=11)
    [neutrophils] = [r for r in results_of(ward, anna) if r.sampled_at.day == 19
                     and r.analyte == "neutrophils"]  # fmt: skip
    correct_result(
        ward, neutrophils.id, text="2,1", unit="10*9/L", by=SECOND_NURSE,
        reason="transposed digits, lab report checked",
    )  # fmt: skip
    on(clock, date(2026, 3, 9))
    enter(ward, plan, "blood_count:2026-03-06", counts("0,899", "0,5", "161"))
    enter(
        ward,
        plan,
        "creatinine:2026-03-09,urinalysis:2026-03-09",
        {"creatinine": "70"},
        finding="unremarkable",
    )
    [platelets] = [r for r in results_of(ward, anna) if r.sampled_at.day == 9
                   and r.analyte == "platelets"]  # fmt: skip
    on(clock, date(2026, 3, 10))
    strike_out_result(ward, platelets.id, by=NURSE, reason="sample clotted, count not valid")
    on(clock, TODAY, hour=7)
    return anna


def results_of(ward: Ward, patient: Patient) -> list[LabResult]:
    return results_of_patient(ward, patient.id)


@pytest.fixture
def anna(ward: Ward, clock: ManualClock) -> Patient:
    return live_follow_up(ward, clock)


@pytest.fixture
def ben(ward: Ward) -> Patient:
    """A patient whose course has not started: no follow-up plan."""
    return ward.register_patient(PatientDraft("P-4002", "Ben Ott", date(1979, 3, 3), "male"), NURSE)


@pytest.fixture
def record(ward: Ward, anna: Patient) -> FollowUpRecord:
    return followup_record(ward, "P-3001")


def test_the_report_says_where_each_test_of_the_plan_stands(record: FollowUpRecord) -> None:
    states = {s.slot.key: (s.text, s.answered_on, s.skip_reason) for s in record.statuses}

    assert states["blood_count:2026-01-20"] == ("done (late)", date(2026, 1, 27), None)
    assert states["blood_count:2026-02-04"] == ("missed", None, None)
    assert states["creatinine:2026-02-09"] == (
        "skipped", None, "taken by the GP, letter to follow",
    )  # fmt: skip
    # The count due 6 March was taken on 9 March, within the days it may be late.
    assert states["blood_count:2026-03-06"] == ("done", date(2026, 3, 9), None)
    assert states["blood_count:2026-03-21"][0] == "upcoming"
    # Tests further ahead than three months are counted, not listed.
    assert max(s.slot.due for s in record.statuses) <= date(2026, 6, 11)
    assert record.later == len(record.plan.slots()) - len(record.statuses) > 100
    assert record.plan.ends == date(2030, 1, 9)
    [course] = record.courses
    assert course.infusions == tuple(date(2026, 1, day) for day in range(5, 10))


def test_the_report_holds_corrections_struck_out_results_and_the_severe_neutropenia(
    record: FollowUpRecord,
) -> None:
    neutrophils = [line for line in record.results if line.result.analyte == "neutrophils"]
    assert [(str(n.value), n.flag, n.result.corrected) for n in neutrophils] == [
        ("3.90", "", False),
        ("2.10", "", True),  # corrected from 1.20
        ("0.90", "L", False),
    ]
    assert neutrophils[2].result.grade is not None
    assert neutrophils[2].result.grade.grade == 3
    # The struck-out platelet count is no result any more, only a correction.
    assert [p.result.value for p in record.results if p.result.analyte == "platelets"] == [
        198, 176,
    ]  # fmt: skip
    assert [(str(c.analyte), str(c.original), c.correction, c.by, c.reason)
            for c in record.corrections] == [
        ("Neutrophils", "1.20 10⁹/L", "2.10 10⁹/L", "KM", "transposed digits, lab report checked"),
        ("Platelets", "161 10⁹/L", None, "AB", "sample clotted, count not valid"),
    ]  # fmt: skip
    [severe] = record.severe
    assert severe.result is neutrophils[2].result
    assert (severe.confirmed_by, severe.confirmed_at.date()) == ("AB", date(2026, 3, 9))
    assert "large granular lymphocytes" in severe.advice
    assert [v for _, v in record.series("platelets")] == [198, 176]


Cli = Callable[..., int]


@pytest.fixture
def cli(store: Store, clock: ManualClock, db_path: Path) -> Cli:
    """`alemmonitor --db DB ...` in this process, on the test's clock."""

    def run(*args: str | Path) -> int:
        return main_headless(["--db", str(db_path), "--by", NURSE, *map(str, args)], clock)

    return run


def pdf_text(path: Path) -> str:
    """The PDF's text with its whitespace folded: one table row reads as one line of words."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.mark.usefixtures("anna")
def test_the_follow_up_pdf_shows_what_a_nurse_looks_for(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "anna.pdf"

    assert cli("report", "--followup", "--patient", "P-3001", "--out", out) == 0

    text = pdf_text(out)
    assert "Follow-up after alemtuzumab" in text
    assert "Anna Lange" in text
    assert "P-3001" in text
    assert "09.07.1986" in text
    assert "5 of 5: 05.01.2026, 06.01.2026, 07.01.2026, 08.01.2026, 09.01.2026" in text
    assert "Plan ends 09.01.2030" in text
    assert "20.01.2026 blood count with differential done (late) 27.01.2026" in text
    assert "19.02.2026 blood count with differential done 19.02.2026" in text
    assert "04.02.2026 blood count with differential missed" in text
    assert "09.02.2026 serum creatinine skipped not done here: taken by the GP, letter to" in text
    # Neutrophils over time, with the unit, the range, the flag and the grade.
    assert "Neutrophils 27.01.2026 3.90 109/L 1.80-7.70" in text
    assert "09.03.2026 0.90 109/L 1.80-7.70 L 3 (v5.0)" in text
    assert "19.02.2026 2.10 *" in text
    # The severe neutropenia with the guidance shown and who confirmed it.
    assert "Neutrophil count decreased, CTCAE v5.0 grade 3" in text
    assert "Guidance shown and confirmed by AB on 09.03.2026 09:00" in text
    assert "large granular lymphocytes (LGL)" in text
    # Corrections: the original, who, when, why.
    assert "20.02.2026 11:00 Neutrophils sampled 19.02.2026 1.20 109/L 2.10 109/L KM" in text
    assert "Platelets sampled 09.03.2026 161 109/L struck out AB sample clotted" in text
    assert "Physician (name, signature)" in text
    pages = len(PdfReader(out).pages)
    assert f"Page {pages} of {pages}" in text


@pytest.mark.usefixtures("anna")
def test_the_follow_up_pdf_speaks_german_when_asked(ward: Ward, tmp_path: Path) -> None:
    path = tmp_path / "de.pdf"
    path.write_bytes(followup_report(ward, "P-3001", ReportOptions(language=report_language("de"))))

    text = pdf_text(path)
    assert "Nachsorge nach Alemtuzumab" in text
    assert "Seite 1 von" in text
    assert "versäumt" in text
    assert "erledigt (verspätet)" in text
    assert "Hinweis angezeigt und bestätigt von AB am 09.03.2026 09:00" in text
    assert "Follow-up after alemtuzumab" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--patient", "X-9"), "no patient with the ID 'X-9'"),
        (("--patient", "P-4002"), "Ben Ott (P-4002) has no follow-up plan"),
        ((), "--followup needs --patient ID"),
    ],
)
@pytest.mark.usefixtures("anna", "ben")
def test_a_follow_up_pdf_without_a_plan_says_why_and_writes_nothing(
    cli: Cli,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "out" / "f.pdf"
    out.parent.mkdir()

    code = cli("report", "--followup", *args, "--out", out)

    assert code == (2 if not args else 1)
    assert message in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []


@pytest.mark.usefixtures("anna")
def test_the_follow_up_pdf_goes_to_its_default_name_whole(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)

    assert cli("report", "--followup", "--patient", "P-3001", "--date", "2026-03-12") == 0

    assert capsys.readouterr().out.strip() == "followup-2026-03-12-P-3001.pdf"
    assert sorted(p.name for p in here.iterdir()) == ["followup-2026-03-12-P-3001.pdf"]
    assert "As of 12.03.2026" in pdf_text(here / "followup-2026-03-12-P-3001.pdf")
