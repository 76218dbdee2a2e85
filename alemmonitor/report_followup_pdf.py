"""A patient's follow-up after alemtuzumab as PDF (A4): the plan, its tests, the results over time.

Laid out on the reports' common page (`report_layout`) for a black-and-white printer: values
outside the reference range marked H or L, a severe neutropenia boxed, a corrected value struck
through beside its correction, the counts' trend drawn in black on grey reference bands.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from alemmonitor.followup import FollowUpPlan, SlotState, SlotStatus
from alemmonitor.labs import LABELS
from alemmonitor.labs_catalog import LabCatalog, default_catalog
from alemmonitor.report_followup import (
    STRUCK_OUT,
    TREND_ANALYTES,
    FollowUpRecord,
    ResultLine,
)
from alemmonitor.report_layout import (
    CELL,
    CELL_BOLD,
    FONT,
    GRID,
    SMALL,
    TABLE_FONT,
    WIDTH,
    PageWriter,
    document,
)
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, joined

TITLE = QT_TRANSLATE_NOOP("FollowUpReport", "Follow-up after alemtuzumab")
_HEADINGS = {
    "courses": QT_TRANSLATE_NOOP("FollowUpReport", "Courses"),
    "plan": QT_TRANSLATE_NOOP("FollowUpReport", "Tests of the plan"),
    "severe": QT_TRANSLATE_NOOP("FollowUpReport", "Severe neutropenia (CTCAE grade 3 or 4)"),
    "trend": QT_TRANSLATE_NOOP("FollowUpReport", "Neutrophils, lymphocytes and platelets"),
    "results": QT_TRANSLATE_NOOP("FollowUpReport", "Results per analyte"),
    "corrections": QT_TRANSLATE_NOOP("FollowUpReport", "Corrections of results"),
}
_DATE = "%d.%m.%Y"
# Vera has no superscript digits ('10⁹/L'): they are set as raised digits instead.
_POWERS, _DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"
_SUPERSCRIPTS = str.maketrans(_POWERS, _DIGITS)
_CARETS = str.maketrans({power: f"^{digit}" for power, digit in zip(_POWERS, _DIGITS, strict=True)})


def _day(moment: date) -> str:
    return f"{moment:{_DATE}}"


class _FollowUpWriter(PageWriter):
    """Builds the flowables of a follow-up report."""

    def __init__(
        self,
        record: FollowUpRecord,
        *,
        unit: str,
        tr: Callable[[str], str],
        local: Callable[[datetime], datetime],
        catalog: LabCatalog,
    ) -> None:
        super().__init__(tr=tr, local=local, created_at=record.created_at)
        self.record = record
        self.unit = unit
        self.catalog = catalog

    def units(self, words: str, style: ParagraphStyle = CELL) -> Paragraph:
        """A paragraph of words that may hold a unit with a power of ten ('10⁹/L')."""
        return Paragraph(self._markup(words), style)

    def _markup(self, words: str) -> str:
        shown = escape(self.render(words))
        for digit in _POWERS:
            shown = shown.replace(digit, f"<super>{digit.translate(_SUPERSCRIPTS)}</super>")
        return shown

    def when(self, moment: datetime) -> str:
        """A recorded moment as the ward's local date and time."""
        return f"{self.local(moment):%d.%m.%Y %H:%M}"

    def sampled(self, moment: datetime) -> str:
        """When a sample was taken: its local date."""
        return _day(self.local(moment).date())

    def header(self) -> list[Flowable]:
        record, plan = self.record, self.record.plan
        patient = record.patient
        basis = QT_TRANSLATE_NOOP(
            "FollowUpReport",
            "course {course}: from the first infusion {first} and the last infusion {last}",
        ).format(course=plan.course_number, first=_day(plan.first_infusion),
                 last=_day(plan.last_infusion))  # fmt: skip
        if plan.ended_early:
            basis = QT_TRANSLATE_NOOP("FollowUpReport", "{basis}; ended early: {reason}").format(
                basis=basis, reason=plan.reason or "—"
            )
        pairs = [
            (QT_TRANSLATE_NOOP("Report", "Unit"), self.unit,
             QT_TRANSLATE_NOOP("FollowUpReport", "As of"), _day(record.today)),
            (QT_TRANSLATE_NOOP("Report", "Patient"), patient.name,
             QT_TRANSLATE_NOOP("Report", "Patient ID"), patient.hospital_id),
            (QT_TRANSLATE_NOOP("Report", "Date of birth"), _day(patient.date_of_birth),
             QT_TRANSLATE_NOOP("FollowUpReport", "Plan ends"), _day(plan.ends)),
            (QT_TRANSLATE_NOOP("FollowUpReport", "Plan counted from"), self.render(basis),
             QT_TRANSLATE_NOOP("FollowUpReport", "Laid out"),
             self.render(QT_TRANSLATE_NOOP("FollowUpReport", "{at} by {by}").format(
                 at=_day(self.local(plan.laid_out_at).date()), by=plan.laid_out_by))),
        ]  # fmt: skip
        return [self.title(TITLE), Spacer(1, 5), self.facts(pairs)]

    def courses(self) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("FollowUpReport", "Course"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Infusions given"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Last infusion"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Follow-up"),
        ]
        rows = []
        for course in self.record.courses:
            given = QT_TRANSLATE_NOOP("FollowUpReport", "{given} of {days}: {dates}").format(
                given=len(course.infusions),
                days=course.days,
                dates=", ".join(_day(d) for d in course.infusions) or "—",
            )
            rows.append(
                [
                    str(course.number),
                    given,
                    _day(course.infusions[-1]) if course.infusions else "—",
                    self._plan_words(course.plan),
                ]
            )
        return [self.table(head, rows, [8, 52, 14, 26])] if rows else []

    def _plan_words(self, plan: FollowUpPlan | None) -> Text:
        if plan is None:
            return QT_TRANSLATE_NOOP("FollowUpReport", "no plan yet")
        if plan.id != self.record.plan.id:
            return QT_TRANSLATE_NOOP("FollowUpReport", "replaced by the later course's plan")
        return QT_TRANSLATE_NOOP("FollowUpReport", "followed now, until {end}").format(
            end=_day(plan.ends)
        )

    def slots(self) -> list[Flowable]:
        record = self.record
        head = [
            QT_TRANSLATE_NOOP("FollowUpReport", "Due"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Test"),
            QT_TRANSLATE_NOOP("Report", "State"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Sampled"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Note"),
        ]
        rows = [self._slot_row(status) for status in record.statuses]
        if not rows:
            return []
        flow: list[Flowable] = [self.table(head, rows, [11, 27, 13, 13, 36])]
        if record.later:
            flow.append(
                self.text(
                    QT_TRANSLATE_NOOP(
                        "FollowUpReport", "Then {count} more tests until {end} (see the plan)."
                    ).format(count=record.later, end=_day(record.plan.ends)),
                    SMALL,
                )
            )
        return flow

    def _slot_row(self, status: SlotStatus) -> list[str | Flowable]:
        urgent = status.state in (SlotState.OVERDUE, SlotState.MISSED) or status.late
        note: str = ""
        if status.skip_reason is not None:
            note = QT_TRANSLATE_NOOP("FollowUpReport", "not done here: {reason}").format(
                reason=status.skip_reason
            )
        elif status.results:
            first = min(status.results, key=lambda r: r.entered_at)
            note = QT_TRANSLATE_NOOP("FollowUpReport", "entered {at} by {by}").format(
                at=self.when(first.entered_at), by=first.entered_by
            )
        return [
            _day(status.slot.due),
            self.record.plan.test_name(status.slot),
            self.text(status.text, CELL_BOLD if urgent else CELL),
            _day(status.answered_on) if status.answered_on else "",
            note,
        ]

    def severe(self) -> list[Flowable]:
        flow: list[Flowable] = []
        for case in self.record.severe:
            result = case.result
            grade = result.grade
            what = QT_TRANSLATE_NOOP(
                "FollowUpReport", "{date}: neutrophils {value} {unit}, {grade}"
            )
            line = what.format(
                date=self.sampled(result.sampled_at),
                value=self._value(result.value, result.comparator, result.analyte),
                unit=self.catalog.analyte(result.analyte).stored_unit.shown,
                grade=grade.label if grade else "",
            )
            confirmed = QT_TRANSLATE_NOOP(
                "FollowUpReport", "Guidance shown and confirmed by {by} on {at}:"
            ).format(by=case.confirmed_by, at=self.when(case.confirmed_at))
            box = Table(
                [
                    [self.units(line, CELL_BOLD)],
                    [self.text(confirmed, CELL)],
                    [self.text(case.advice, CELL)],
                ],
                colWidths=[WIDTH],
            )
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.black), TABLE_FONT]))
            flow += [box, Spacer(1, 4)]
        return flow

    def _value(self, value: float | None, comparator: str | None, analyte: str) -> str:
        if value is None:
            return "—"
        decimals = self.catalog.analyte(analyte).decimals
        return f"{comparator or ''}{value:.{decimals}f}"

    def results(self) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("FollowUpReport", "Analyte"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Sampled"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Value"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Unit"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Reference range"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Flag"),
            QT_TRANSLATE_NOOP("FollowUpReport", "CTCAE"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Reading"),
            QT_TRANSLATE_NOOP("Report", "By"),
        ]
        rows: list[list[str | Flowable]] = []
        shades: list[tuple[object, ...]] = []
        previous = None
        for line in self.record.results:
            result = line.result
            first = result.analyte != previous
            previous = result.analyte
            if first and rows:
                shades.append(("LINEABOVE", (0, len(rows) + 1), (-1, len(rows) + 1), 0.9,
                               colors.black))  # fmt: skip
            rows.append(self._result_row(line, first=first))
        if not rows:
            return []
        legend = QT_TRANSLATE_NOOP(
            "FollowUpReport",
            "H, L: above or below the reference range; CTCAE: grade (version) of a decreased "
            "count; *: corrected since it was entered (see the corrections).",
        )
        table = self.table(head, rows, [13, 13, 13, 7, 15, 5, 7, 21, 6], styles=shades)
        return [table, self.text(legend, SMALL)]

    def _result_row(self, line: ResultLine, *, first: bool) -> list[str | Flowable]:
        result = line.result
        grade = result.grade
        value = f"{self.render(line.value)}{' *' if result.corrected else ''}"
        return [
            self.text(result.label, CELL_BOLD) if first else "",
            self.sampled(result.sampled_at),
            self.text(value, CELL_BOLD if line.flag or grade else CELL),
            self.units(line.unit),
            line.reference,
            self.text(line.flag, CELL_BOLD),
            f"{grade.grade} (v{grade.version})" if grade else "",
            self.render(joined(list(line.reading), "; ")),
            result.entered_by,
        ]

    def corrections(self) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "When"),
            QT_TRANSLATE_NOOP("FollowUpReport", "Result"),
            QT_TRANSLATE_NOOP("Report", "Original"),
            QT_TRANSLATE_NOOP("Report", "Correction"),
            QT_TRANSLATE_NOOP("Report", "By"),
            QT_TRANSLATE_NOOP("Report", "Why"),
        ]
        rows = []
        for c in self.record.corrections:
            what = QT_TRANSLATE_NOOP("FollowUpReport", "{analyte} sampled {date}").format(
                analyte=c.analyte, date=self.sampled(c.sampled_at)
            )
            struck = Paragraph(f"<strike>{self._markup(c.original)}</strike>", CELL)
            now = self.units(c.correction if c.correction is not None else STRUCK_OUT)
            rows.append([self.when(c.at), what, struck, now, c.by, c.reason])
        return [self.table(head, rows, [13, 20, 14, 14, 6, 33])] if rows else []

    def trend(self) -> list[Flowable]:
        series = {name: self.record.series(name) for name in TREND_ANALYTES}
        if not any(series.values()):
            return []
        chart = FollowUpChart(self.record, series, self.catalog, tr=self.render, local=self.local)
        legend = QT_TRANSLATE_NOOP(
            "FollowUpReport",
            "Points: the follow-up values; shaded: the reference range; dashed lines: the "
            "course's first and last infusion.",
        )
        return [chart, Spacer(1, 2), self.text(legend, SMALL)]

    def story(self) -> list[Flowable]:
        """Every section, in the order a nurse reads it."""
        story = self.header()
        story += self.section(_HEADINGS["courses"], self.courses())
        story += self.section(_HEADINGS["plan"], self.slots())
        if self.record.severe:
            story += self.section(_HEADINGS["severe"], self.severe())
        trend = self.trend()
        if trend:
            story += [Spacer(1, 7), KeepTogether([self.heading(_HEADINGS["trend"]), *trend])]
        story += self.section(_HEADINGS["results"], self.results())
        return self.signed(story, _HEADINGS["corrections"], self.corrections())


class FollowUpChart(Flowable):
    """Neutrophils, lymphocytes and platelets over the follow-up: a panel each, one time axis,
    the reference range shaded grey, the values as black points joined by a thin line."""

    PANEL = 27 * mm
    GAP = 5 * mm
    AXIS = 9 * mm
    LEFT = 16 * mm

    def __init__(
        self,
        record: FollowUpRecord,
        series: dict[str, list[tuple[datetime, float]]],
        catalog: LabCatalog,
        *,
        tr: Callable[[str], str],
        local: Callable[[datetime], datetime],
    ) -> None:
        super().__init__()
        self.record = record
        self.series = series
        self.catalog = catalog
        self.render = tr
        self.local = local
        self.width = WIDTH
        self.height = len(TREND_ANALYTES) * (self.PANEL + self.GAP) + self.AXIS
        plan = record.plan
        moments = [self.local(at).date() for values in series.values() for at, _ in values]
        self.start = min([plan.first_infusion, *moments])
        self.end = max([record.today, *moments])
        if self.end <= self.start:
            self.end = self.start.fromordinal(self.start.toordinal() + 30)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def x(self, day: date) -> float:
        span = (self.end - self.start).days or 1
        return self.LEFT + (self.width - self.LEFT - 4) * (day - self.start).days / span

    def draw(self) -> None:
        canvas: Canvas = self.canv
        top = self.height
        for name in TREND_ANALYTES:
            top -= self.GAP + self.PANEL
            self._panel(canvas, name, top)
        self._axis(canvas)

    def _panel(self, canvas: Canvas, name: str, bottom: float) -> None:
        analyte = self.catalog.analyte(name)
        reference = analyte.reference_for(self.record.patient.sex)
        values = [value for _, value in self.series[name]]
        high = max([*values, reference.high or 0.0, reference.low or 0.0]) * 1.15 or 1.0
        left, right = self.LEFT, self.width - 4

        def y(value: float) -> float:
            return bottom + self.PANEL * max(0.0, min(value, high)) / high

        canvas.saveState()
        canvas.setFillColor(colors.Color(0.86, 0.86, 0.86))
        low_y = y(reference.low or 0.0)
        canvas.rect(left, low_y, right - left, y(reference.high or high) - low_y, stroke=0, fill=1)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.rect(left, bottom, right - left, self.PANEL, stroke=1, fill=0)
        canvas.setDash(2, 1.5)
        canvas.setStrokeColor(colors.black)
        for day in (self.record.plan.first_infusion, self.record.plan.last_infusion):
            canvas.line(self.x(day), bottom, self.x(day), bottom + self.PANEL)
        canvas.setDash()
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, 6.5)
        unit = analyte.stored_unit.shown.translate(_CARETS)
        canvas.drawString(left, bottom + self.PANEL + 3, f"{self.render(LABELS[name])} ({unit})")
        for tick in (0.0, high / 1.15):
            canvas.drawRightString(left - 2, y(tick) - 2, f"{tick:.{min(analyte.decimals, 1)}f}")
        points = [(self.x(self.local(at).date()), y(value)) for at, value in self.series[name]]
        canvas.setLineWidth(0.6)
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            canvas.line(x0, y0, x1, y1)
        for px, py in points:
            canvas.circle(px, py, 1.6, stroke=0, fill=1)
        canvas.restoreState()

    def _axis(self, canvas: Canvas) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 6.5)
        months = _month_starts(self.start, self.end)
        step = max(1, len(months) // 12)
        base = self.AXIS - 3
        for index, month in enumerate(months):
            x = self.x(month)
            canvas.setStrokeColor(GRID)
            canvas.line(x, base, x, base + 3)
            if index % step == 0:
                canvas.drawCentredString(x, base - 7, f"{month:%m.%Y}")
        canvas.restoreState()


def _month_starts(start: date, end: date) -> Sequence[date]:
    months: list[date] = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        first = date(year, month, 1)
        if first > end:
            return months
        months.append(first)


def followup_pdf(
    record: FollowUpRecord,
    *,
    unit: str,
    tr: Callable[[str], str],
    local: Callable[[datetime], datetime],
    catalog: LabCatalog | None = None,
) -> bytes:
    """The PDF of one patient's follow-up."""
    writer = _FollowUpWriter(
        record, unit=unit, tr=tr, local=local, catalog=catalog or default_catalog()
    )
    patient = record.patient
    born = tr(QT_TRANSLATE_NOOP("Report", "born {date}").format(
        date=patient.date_of_birth.isoformat()))  # fmt: skip
    head = " · ".join(
        [tr(TITLE), unit, _day(record.today), patient.name, patient.hospital_id, born]
    )
    return document(
        writer.story(),
        title=f"{tr(TITLE)} {patient.hospital_id} {record.today.isoformat()}",
        subject=f"{patient.name} ({patient.hospital_id})",
        running_head=head,
        writer=writer,
    )
