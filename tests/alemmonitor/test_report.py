"""The end-of-day PDFs, read back as a nurse would read them: real days lived on a real record,
the PDF written by the command line, its text extracted with pypdf."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from alemmonitor.alarm_rules import Priority
from alemmonitor.alarms import AlarmAction
from alemmonitor.cli import main_headless
from alemmonitor.clock import ManualClock, from_iso
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import load_protocol
from alemmonitor.report import ReportOptions, day_report
from alemmonitor.report_chart import envelopes
from alemmonitor.report_data import day_record
from alemmonitor.report_demo import DemoDay, live_day
from alemmonitor.report_language import report_language
from alemmonitor.report_pdf import value_text
from alemmonitor.store import Store
from alemmonitor.vitals import LABELS, unit_text
from alemmonitor.ward import Ward
from alemmonitor.watch import alarm_log

DAY = date(2026, 11, 23)
BERLIN = ZoneInfo("Europe/Berlin")
NURSE = "AB"


def live(ward: Ward, clock: ManualClock, hospital_id: str, name: str, chair: int) -> DemoDay:
    """A patient's whole day on the chair, from the clock's time on; monitor every 30 s."""
    bed = ward.ensure_beds(6, NURSE)[chair]
    patient = ward.register_patient(
        PatientDraft(hospital_id, name, date(1975, 6, 21), "male", 91.0), NURSE
    )
    return live_day(ward, clock, patient, bed, every_s=30, seed=chair)


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Ward, Path]]:
    """One record for the module's tests, which only read it: its ward and file."""
    path = tmp_path_factory.mktemp("report") / "ward.sqlite3"
    clock = ManualClock(datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN), BERLIN)
    with Store.open(path, clock) as store:
        yield Ward(store, load_protocol(), clock), path


@pytest.fixture(scope="module")
def ward_days(record: tuple[Ward, Path]) -> dict[str, DemoDay]:
    """Dieter's day 3 and, on the same date, Erika's (another chair, started later); then
    Dieter's day 4 on the next date."""
    ward, _ = record
    clock = ward.clock
    assert isinstance(clock, ManualClock)
    days = {"dieter": live(ward, clock, "D-1004", "Dieter Weber", 3)}
    clock.set(datetime(2026, 11, 23, 16, 0, tzinfo=clock.now().tzinfo))
    days["erika"] = live(ward, clock, "E-2002", "Erika Zimmermann", 1)
    clock.set(datetime(2026, 11, 24, 7, 30, tzinfo=clock.now().tzinfo))
    dieter = ward.patient("D-1004")
    assert dieter is not None
    days["next"] = live_day(ward, clock, dieter, ward.beds()[3], day=4, every_s=30, seed=9)
    return days


Cli = Callable[..., int]


@pytest.fixture
def ward(record: tuple[Ward, Path]) -> Ward:
    return record[0]


@pytest.fixture
def cli(record: tuple[Ward, Path]) -> Cli:
    """`alemmonitor --db DB ...` in this process, on the record's clock (the ward's zone)."""
    ward, path = record

    def run(*args: str | Path) -> int:
        return main_headless(["--db", str(path), "--by", NURSE, *map(str, args)], ward.clock)

    return run


def pdf_text(path: Path) -> str:
    """The PDF's text with its whitespace folded: one table row reads as one line of words."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def dieter_pdf(ward_days: dict[str, DemoDay], cli: Cli, tmp_path: Path) -> str:
    """The text of Dieter's PDF of the day, written by `alemmonitor report --patient`."""
    out = tmp_path / "dieter.pdf"
    assert cli("report", "--date", DAY.isoformat(), "--patient", "D-1004", "--out", out) == 0
    return pdf_text(out)


def hm(ward: Ward, moment: datetime) -> str:
    return f"{ward.clock.local(moment):%H:%M}"


def test_the_patient_pdf_holds_every_set_administration_and_reaction_of_the_day(
    ward: Ward, ward_days: dict[str, DemoDay], dieter_pdf: str
) -> None:
    text = dieter_pdf
    admission = ward_days["dieter"].admission

    sets = ward.charted_sets(admission)
    assert len(sets) >= 6
    for at, values in sets:
        row = f"{hm(ward, at)} AB monitor {values['hr']:.0f}"
        assert row in text, row
        assert f"{values['sbp']:.0f}/{values['dbp']:.0f}" in text

    given = ward.store.query(
        "SELECT * FROM medication_administrations WHERE day_id = ? ORDER BY occurred_at",
        (admission.id,),
    )
    assert len(given) >= 6
    for row in given:
        drug = row["drug"][:1].upper() + row["drug"][1:]
        assert f"{drug} " in text
        assert f"{hm(ward, from_iso(row['occurred_at']))}" in text
        assert row["batch"] in text
    assert "LEM-24A117" in text
    assert "KM" in text  # the second nurse's check of the alemtuzumab

    assert re.search(r"Fever v5\.0 1 \d\d:\d\d Infusion slowed", text)
    assert "batch: PM-2611 batch: PM-2661 AB batch number mistyped" in text
    assert "Highest NEWS2 of the day: 3 (low)" in text
    assert "Page 1 of " in text


def test_each_parameter_shows_its_count_lowest_and_highest_over_every_value(
    ward: Ward, ward_days: dict[str, DemoDay], dieter_pdf: str
) -> None:
    text = dieter_pdf
    admission = ward_days["dieter"].admission
    rows = ward.store.query(
        "SELECT parameter, value, measured_at FROM current_observations WHERE day_id = ?",
        (admission.id,),
    )
    by_parameter: dict[str, list[tuple[float, str]]] = {}
    for row in rows:
        by_parameter.setdefault(row["parameter"], []).append((row["value"], row["measured_at"]))
    for parameter in ("hr", "sbp", "dbp", "temp", "spo2", "rr"):
        values = by_parameter[parameter]
        lowest = min(values)
        highest = max(values)
        shown = (
            f"{LABELS[parameter]} {unit_text(parameter)} {len(values)} "
            f"{value_text(parameter, lowest[0])} {hm(ward, from_iso(lowest[1]))} "
            f"{value_text(parameter, highest[0])} "
        )
        assert shown in text, shown
    # The SpO2 dip of a slipping probe lasted 25 s; the envelope and the table keep it.
    assert min(v for v, _ in by_parameter["spo2"]) < 85


def test_nothing_of_another_patient_or_day_is_in_the_pdf(
    ward: Ward, ward_days: dict[str, DemoDay], dieter_pdf: str
) -> None:
    text = dieter_pdf
    assert "Erika" not in text
    assert "E-2002" not in text
    assert "Day 4/5" not in text
    next_day = ward_days["next"].admission
    for at, _ in ward.charted_sets(next_day):
        assert f"{hm(ward, at)} AB monitor" not in text or any(
            hm(ward, mine) == hm(ward, at)
            for mine, _ in ward.charted_sets(ward_days["dieter"].admission)
        )
    # The day's counts are of this day only.
    count = ward.store.query(
        "SELECT COUNT(*) AS n FROM current_observations WHERE day_id = ? AND parameter = 'hr'",
        (ward_days["dieter"].admission.id,),
    )[0]["n"]
    assert f"Heart rate /min {count} " in text


def test_every_font_of_the_pdf_is_embedded(
    ward: Ward, ward_days: dict[str, DemoDay], tmp_path: Path
) -> None:
    pdf = day_report(ward, ward_days["dieter"].admission)
    path = tmp_path / "day.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(path)
    fonts = {}
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"], name
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4


def test_the_unit_summary_has_a_page_per_patient_and_each_pdf_beside_it(
    ward_days: dict[str, DemoDay], cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "unit.pdf"
    assert cli("report", "--date", DAY.isoformat(), "--out", out) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == [
        "unit-D-1004.pdf",
        "unit-E-2002.pdf",
        "unit.pdf",
    ]
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    first, second = (" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Dieter Weber" in first
    assert "Erika" not in first
    assert "Erika Zimmermann" in second
    for page in (first, second):
        assert "Alemtuzumab started" in page
        assert "Fever" in page
        assert "Highest NEWS2 of the day:" in page
        assert "Alarms of the day:" in page
    assert "Erika" in pdf_text(tmp_path / "unit-E-2002.pdf")


def test_the_report_speaks_german_when_asked(
    ward: Ward, ward_days: dict[str, DemoDay], tmp_path: Path
) -> None:
    pdf = day_report(
        ward, ward_days["dieter"].admission, ReportOptions(language=report_language("de"))
    )
    path = tmp_path / "de.pdf"
    path.write_bytes(pdf)
    text = pdf_text(path)
    assert "Medikamentengabe" in text
    assert "Seite 1 von" in text
    assert "Medication administration record" not in text
    # The alarm log stored its messages in English and as texts: the report reads them in German.
    high = [
        line.message
        for line in alarm_log(ward, ward_days["dieter"].admission.id)
        if line.action is AlarmAction.STARTED and line.priority is Priority.HIGH
    ]
    assert high
    for message in high:
        german = report_language("de")(message)
        assert german != message
        assert german in text
        assert message not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2026-11-20"), "no infusion day on 2026-11-20"),
        (("--date", "2026-11-23", "--patient", "X-9"), "no patient with the ID 'X-9'"),
        (("--date", "2026-11-25", "--patient", "D-1004"), "has no infusion day on 2026-11-25"),
    ],
)
@pytest.mark.usefixtures("ward_days")
def test_a_report_without_data_says_why_and_writes_nothing(
    cli: Cli,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "out" / "r.pdf"
    out.parent.mkdir()
    assert cli("report", *args, "--out", out) == 1
    assert message in capsys.readouterr().err
    assert list(out.parent.iterdir()) == []


def test_an_unwritable_place_leaves_no_file_behind(
    ward_days: dict[str, DemoDay],
    cli: Cli,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A patient's file cannot be written (a folder has its name): the summary, which could
    # have been, does not appear either.
    (tmp_path / "u-E-2002.pdf").mkdir()
    assert cli("report", "--date", DAY.isoformat(), "--out", tmp_path / "u.pdf") == 1
    assert "is a folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u-E-2002.pdf"]
    # A folder that does not exist, a path through a file.
    (tmp_path / "file").write_text("x")
    for out in (tmp_path / "no" / "u.pdf", tmp_path / "file" / "u.pdf"):
        assert cli("report", "--date", DAY.isoformat(), "--patient", "D-1004", "--out", out) == 1
        assert "cannot be written" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "u-E-2002.pdf"]


def test_the_envelope_keeps_every_peak_whatever_the_columns(
    ward: Ward, ward_days: dict[str, DemoDay]
) -> None:
    admission = ward_days["dieter"].admission
    record = day_record(ward, admission)
    start, end = record.span
    spo2 = ward.store.query(
        """SELECT MIN(value) AS low, MAX(value) AS high FROM current_observations
           WHERE day_id = ? AND parameter = 'spo2' AND source != 'manual'""",
        (admission.id,),
    )[0]
    for columns in (3, 40, 931, 5000):
        curve = envelopes(ward.store, admission.id, start, end, columns)["spo2"]
        assert curve.low.min() == spo2["low"]
        assert curve.high.max() == spo2["high"]
        assert curve.columns.max() < columns
    assert end - start >= timedelta(hours=8)
