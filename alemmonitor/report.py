"""The printed reports: each patient's infusion day, the unit's summary of a date, and a
patient's follow-up after the course.

Used by the window ("End of day…", the follow-up list) and by `alemmonitor report` alike, never
with Qt. A report is
made whole in memory first and only then written, each file whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alemmonitor.clock import local_date
from alemmonitor.export import write_files_whole
from alemmonitor.report_chart import TrendChart
from alemmonitor.report_data import DEFAULT_UNIT, DayRecord, ReportError, day_record, days_on
from alemmonitor.report_followup import followup_record
from alemmonitor.report_followup_pdf import followup_pdf
from alemmonitor.report_language import ENGLISH, ReportLanguage
from alemmonitor.report_pdf import content_width, day_pdf, summary_pdf
from alemmonitor.trends import TrendSettings, load_trend_settings
from alemmonitor.ward import Admission, Ward

__all__ = [
    "DEFAULT_UNIT",
    "ReportError",
    "ReportOptions",
    "day_report",
    "default_followup_path",
    "default_report_path",
    "followup_report",
    "unit_reports",
    "write_day_report",
    "write_followup_report",
    "write_unit_reports",
]


@dataclass(frozen=True)
class ReportOptions:
    """How reports are written: the unit's name and the language."""

    unit: str = DEFAULT_UNIT
    language: ReportLanguage = ENGLISH


def day_report(
    ward: Ward,
    admission: Admission,
    options: ReportOptions | None = None,
    *,
    trend_settings: TrendSettings | None = None,
) -> bytes:
    """The PDF of one patient's infusion day, as the record stands now."""
    options = options or ReportOptions()
    settings = trend_settings or load_trend_settings()
    record = day_record(ward, admission, trend_settings=settings, columns=_columns())
    return _render(ward, record, options, settings)


def _columns() -> int:
    """Envelope columns of the A4 chart."""
    return TrendChart.columns_for(content_width())


def _render(
    ward: Ward, record: DayRecord, options: ReportOptions, settings: TrendSettings
) -> bytes:
    return day_pdf(
        record,
        record.curves,
        unit=options.unit,
        tr=options.language,
        local=ward.clock.local,
        line_gaps_s={p.value: gap for p, gap in settings.line_gaps_s.items()},
    )


def unit_reports(
    ward: Ward, day: date, options: ReportOptions | None = None
) -> tuple[bytes, list[tuple[Admission, bytes]]]:
    """The unit's summary of `day` and each patient's PDF; ReportError for a day without data."""
    options = options or ReportOptions()
    settings = load_trend_settings()
    admissions = days_on(ward, day)
    records = [day_record(ward, a, trend_settings=settings, columns=_columns()) for a in admissions]
    summary = summary_pdf(
        records,
        unit=options.unit,
        day=day,
        created_at=ward.clock.now(),
        tr=options.language,
        local=ward.clock.local,
    )
    return summary, [(r.admission, _render(ward, r, options, settings)) for r in records]


def default_report_path(day: date, patient_id: str | None = None) -> Path:
    """'report-2026-11-23.pdf', or 'report-2026-11-23-D-1004.pdf' for one patient."""
    suffix = f"-{_file_safe(patient_id)}" if patient_id else ""
    return Path(f"report-{day.isoformat()}{suffix}.pdf")


def patient_report_path(summary: Path, admission: Admission) -> Path:
    """Where a patient's PDF goes beside the unit summary: 'report-2026-11-23-D-1004.pdf'."""
    name = f"{summary.stem}-{_file_safe(admission.patient.hospital_id)}{summary.suffix or '.pdf'}"
    return summary.with_name(name)


def write_day_report(
    ward: Ward,
    day: date,
    patient_id: str,
    out: Path | None = None,
    options: ReportOptions | None = None,
) -> Path:
    """Write the PDF of the patient's day on `day`; returns where it was written.

    Raises ReportError (nothing written) for an unknown patient or one without a day on `day`,
    ExportError (nothing written) when the file cannot be written.
    """
    (admission,) = days_on(ward, day, patient_id)[:1]
    path = out or default_report_path(day, admission.patient.hospital_id)
    write_files_whole({path: day_report(ward, admission, options)})
    return path


def write_unit_reports(
    ward: Ward, day: date, out: Path | None = None, options: ReportOptions | None = None
) -> list[Path]:
    """Write the unit summary of `day` to `out` and each patient's PDF beside it.

    Returns the files written, the summary first. Raises ReportError for a date without data
    and ExportError when a file cannot be written; either way no file is left behind.
    """
    path = out or default_report_path(day)
    summary, patients = unit_reports(ward, day, options)
    contents = {path: summary}
    contents |= {patient_report_path(path, admission): pdf for admission, pdf in patients}
    write_files_whole(contents)
    return list(contents)


def followup_report(
    ward: Ward, hospital_id: str, options: ReportOptions | None = None, today: date | None = None
) -> bytes:
    """The PDF of the follow-up of the patient with hospital ID `hospital_id`, as it stands on
    `today` (the ward's today when None); ReportError for an unknown patient or one without a
    follow-up plan."""
    options = options or ReportOptions()
    record = followup_record(ward, hospital_id, today)
    return followup_pdf(record, unit=options.unit, tr=options.language, local=ward.clock.local)


def default_followup_path(day: date, hospital_id: str) -> Path:
    """'followup-2026-11-23-D-1004.pdf'."""
    return Path(f"followup-{day.isoformat()}-{_file_safe(hospital_id)}.pdf")


def write_followup_report(
    ward: Ward,
    hospital_id: str,
    out: Path | None = None,
    options: ReportOptions | None = None,
    today: date | None = None,
) -> Path:
    """Write the PDF of the patient's follow-up; returns where it was written.

    Raises ReportError (nothing written) for an unknown patient or one without a follow-up plan,
    ExportError (nothing written) when the file cannot be written.
    """
    pdf = followup_report(ward, hospital_id, options, today)
    day = today or local_date(ward.clock, ward.clock.now())
    path = out or default_followup_path(day, hospital_id)
    write_files_whole({path: pdf})
    return path


def _file_safe(text: str) -> str:
    """A hospital ID as part of a file name: anything but letters, digits, '-' and '_' becomes
    '_' (an ID like 'A/123' must not point into another folder)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
