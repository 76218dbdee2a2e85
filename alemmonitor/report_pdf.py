"""The printed record of an infusion day, and the unit's summary of a date, as PDF (A4).

Laid out for a black-and-white printer: lines told apart by weight and dash, values outside the
normal range by the letters H and L, never by colour alone. The page, its fonts and its tables
are the reports' common ones (`report_layout`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
)

from alemmonitor.alarm_rules import Priority
from alemmonitor.infusion_day import InfusionState, TaskKind
from alemmonitor.news2 import News2
from alemmonitor.reactions import ACTION_TITLES
from alemmonitor.report_chart import TrendChart
from alemmonitor.report_data import ChartedSet, DayRecord, Envelope
from alemmonitor.report_layout import (
    BODY,
    CELL,
    CELL_BOLD,
    FONT,
    H2,
    NONE,
    SMALL,
    WIDTH,
    PageWriter,
    document,
)
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, joined
from alemmonitor.vitals import ACVPU, ACVPU_LEVELS, LABELS, O2_FLOW, unit_text

_TITLE = QT_TRANSLATE_NOOP("Report", "Infusion day record")
_UNIT_TITLE = QT_TRANSLATE_NOOP("Report", "Unit summary")
_HEADINGS = {
    "timeline": QT_TRANSLATE_NOOP("Report", "Protocol timeline"),
    "mar": QT_TRANSLATE_NOOP("Report", "Medication administration record"),
    "vitals": QT_TRANSLATE_NOOP("Report", "Vital signs"),
    "parameters": QT_TRANSLATE_NOOP(
        "Report", "The day's values per parameter (monitor and charted)"
    ),
    "sets": QT_TRANSLATE_NOOP("Report", "Charted observation sets and NEWS2"),
    "reactions": QT_TRANSLATE_NOOP("Report", "Reactions (CTCAE)"),
    "alarms": QT_TRANSLATE_NOOP("Report", "Alarms"),
    "warnings": QT_TRANSLATE_NOOP(
        "Report", "Warning checklists (stroke, dissection, cardiac, pulmonary)"
    ),
    "notes": QT_TRANSLATE_NOOP("Report", "Notes"),
    "corrections": QT_TRANSLATE_NOOP("Report", "Corrections"),
    "labs": QT_TRANSLATE_NOOP("Report", "Lab tasks"),
}


class _Writer(PageWriter):
    """Builds the flowables of the day reports in one language and one local time."""

    def __init__(
        self,
        *,
        tr: Callable[[str], str],
        local: Callable[[datetime], datetime],
        unit: str,
        day: date,
        created_at: datetime,
    ) -> None:
        super().__init__(tr=tr, local=local, created_at=created_at)
        self.unit = unit
        self.day = day

    # -- small pieces ----------------------------------------------------------------------------

    def time(self, moment: datetime | None) -> str:
        """'14:05' on the report's date; with the date when it is another day."""
        if moment is None:
            return "—"
        shown = self.local(moment)
        if shown.date() == self.day:
            return f"{shown:%H:%M}"
        return f"{shown:%Y-%m-%d %H:%M}"

    # -- the patient's day ---------------------------------------------------------------------

    def header(self, record: DayRecord) -> list[Flowable]:
        patient = record.admission.patient
        weight = f"{patient.weight_kg:g} kg" if patient.weight_kg else "—"
        pairs = [
            (
                QT_TRANSLATE_NOOP("Report", "Unit"),
                self.unit,
                QT_TRANSLATE_NOOP("Report", "Date"),
                self.day.isoformat(),
            ),
            (
                QT_TRANSLATE_NOOP("Report", "Patient"),
                patient.name,
                QT_TRANSLATE_NOOP("Report", "Patient ID"),
                patient.hospital_id,
            ),
            (
                QT_TRANSLATE_NOOP("Report", "Date of birth"),
                patient.date_of_birth.isoformat(),
                QT_TRANSLATE_NOOP("Report", "Weight"),
                weight,
            ),
            (
                QT_TRANSLATE_NOOP("Report", "Course and day"),
                self.render(record.admission.course_text),
                QT_TRANSLATE_NOOP("Report", "Chair"),
                record.chair or "—",
            ),
            (
                QT_TRANSLATE_NOOP("Report", "Nurses on duty"),
                ", ".join(record.nurses) or "—",
                QT_TRANSLATE_NOOP("Report", "State of the day"),
                self.render(record.status.step.text),
            ),
        ]
        return [self.title(_TITLE), Spacer(1, 5), self.facts(pairs)]

    def timeline(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Step"),
            QT_TRANSLATE_NOOP("Report", "Planned"),
            QT_TRANSLATE_NOOP("Report", "Done"),
            QT_TRANSLATE_NOOP("Report", "By"),
            QT_TRANSLATE_NOOP("Report", "State"),
            QT_TRANSLATE_NOOP("Report", "Details"),
            QT_TRANSLATE_NOOP("Report", "Deviations and reasons"),
        ]
        rows = []
        deviating = []
        for index, row in enumerate(record.timeline, start=1):
            rows.append(
                [
                    row.title,
                    self.time(row.planned_at) if row.planned_at else "—",
                    self.time(row.done_at),
                    row.by or "",
                    row.state,
                    self.joined(row.details),
                    self.text(self.joined(row.deviations), CELL_BOLD),
                ]
            )
            if row.deviations:
                deviating.append(index)
        return [self.table(head, rows, [29, 9, 9, 7, 9, 18, 28])] if rows else []

    def joined(self, parts: Sequence[str]) -> str:
        return "; ".join(self.render(p) for p in parts)

    def administrations(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Drug"),
            QT_TRANSLATE_NOOP("Report", "Dose"),
            QT_TRANSLATE_NOOP("Report", "Route"),
            QT_TRANSLATE_NOOP("Report", "Start"),
            QT_TRANSLATE_NOOP("Report", "End"),
            QT_TRANSLATE_NOOP("Report", "Rate changes"),
            QT_TRANSLATE_NOOP("Report", "Batch"),
            QT_TRANSLATE_NOOP("Report", "Given by"),
            QT_TRANSLATE_NOOP("Report", "Checked by"),
        ]
        rows = [
            [
                a.drug,
                a.dose,
                a.route,
                self.time(a.started_at),
                self.time(a.ended_at),
                self.joined(a.changes),
                a.batch or "—",
                a.given_by,
                a.checked_by or "—",
            ]
            for a in record.administrations
        ]
        return [self.table(head, rows, [18, 9, 7, 8, 7, 27, 12, 9, 9])] if rows else []

    def vitals_chart(
        self, record: DayRecord, curves: Mapping[str, Envelope], line_gaps_s: Mapping[str, float]
    ) -> list[Flowable]:
        chart = TrendChart(
            record,
            curves,
            width=WIDTH,
            height=112 * mm,
            line_gaps_s=line_gaps_s,
            local=self.local,
            tr=self.render,
            font=FONT,
        )
        legend = QT_TRANSLATE_NOOP(
            "Report",
            "Grey band: the monitor's lowest to highest value in each 0.5 pt column (no value "
            "left out); circles: charted values; shaded: normal range; dashed lines: events.",
        )
        events = [
            f"{number} {self.time(m.at)} {self.render(m.label)}"
            for number, m in enumerate(record.markers, start=1)
        ]
        flow: list[Flowable] = [chart, Spacer(1, 2), self.text(legend, SMALL)]
        if events:
            flow.append(
                self.text(
                    QT_TRANSLATE_NOOP("Report", "Events: {events}").format(
                        events="; ".join(events)
                    ),
                    SMALL,
                )
            )
        return flow

    def parameters(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Parameter"),
            QT_TRANSLATE_NOOP("Report", "Unit of measure"),
            QT_TRANSLATE_NOOP("Report", "Readings"),
            QT_TRANSLATE_NOOP("Report", "Lowest"),
            QT_TRANSLATE_NOOP("Report", "at"),
            QT_TRANSLATE_NOOP("Report", "Highest"),
            QT_TRANSLATE_NOOP("Report", "at"),
        ]
        rows = [
            [
                LABELS.get(p.parameter, Text.data(p.parameter)),
                unit_text(p.parameter) if p.parameter in LABELS else "",
                f"{p.count}",
                self.render(value_text(p.parameter, p.lowest.value)),
                self.time(p.lowest.at),
                self.render(value_text(p.parameter, p.highest.value)),
                self.time(p.highest.at),
            ]
            for p in record.parameters
        ]
        return [self.table(head, rows, [24, 9, 10, 12, 11, 12, 11])] if rows else []

    def charted_sets(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Time"),
            QT_TRANSLATE_NOOP("Report", "By"),
            QT_TRANSLATE_NOOP("Report", "Source"),
            QT_TRANSLATE_NOOP("Report", "HR"),
            QT_TRANSLATE_NOOP("Report", "BP"),
            QT_TRANSLATE_NOOP("Report", "Temp."),
            QT_TRANSLATE_NOOP("Report", "SpO2"),
            QT_TRANSLATE_NOOP("Report", "Resp."),
            QT_TRANSLATE_NOOP("Report", "ACVPU"),
            QT_TRANSLATE_NOOP("Report", "O2"),
            QT_TRANSLATE_NOOP("Report", "NEWS2"),
        ]
        rows = [self._set_row(s, record) for s in record.sets]
        if not rows:
            return []
        flow: list[Flowable] = [self.table(head, rows, [9, 6, 12, 7, 11, 7, 7, 7, 7, 8, 19])]
        notes = QT_TRANSLATE_NOOP(
            "Report",
            "H, L: above or below the normal range; !: not alert, or on oxygen. Source: "
            "monitor = the monitor's values taken over at the round and confirmed; typed = "
            "entered by hand.",
        )
        flow.append(self.text(notes, SMALL))
        best = record.highest_news2
        if best is not None and best.news2 is not None:
            flow.append(Spacer(1, 3))
            flow.append(
                self.text(
                    QT_TRANSLATE_NOOP(
                        "Report", "Highest NEWS2 of the day: {score} ({band}) at {time}"
                    ).format(
                        score=best.news2.aggregate,
                        band=best.news2.band.text,
                        time=self.time(best.at),
                    ),
                    CELL_BOLD,
                )
            )
        return flow

    def _set_row(self, charted: ChartedSet, record: DayRecord) -> list[Any]:
        def cell(*names: str) -> Paragraph:
            shown = []
            flagged = False
            for name in names:
                if name not in charted.values:
                    continue
                words = self.render(value_text(name, charted.values[name]))
                flag = (
                    _flag(name, charted.values[name], record.normal_ranges)
                    if name in charted.abnormal
                    else ""
                )
                flagged = flagged or bool(flag)
                shown.append(f"{words}{flag}")
            if not shown:
                return self.text("—")
            return self.text("/".join(shown), CELL_BOLD if flagged else CELL)

        numeric = [n for n in charted.values if n not in (ACVPU, O2_FLOW)]
        taken = [n for n in numeric if n in charted.from_monitor]
        if taken and len(taken) == len(numeric):
            source = QT_TRANSLATE_NOOP("Report", "monitor")
        elif taken:
            source = QT_TRANSLATE_NOOP("Report", "monitor + typed")
        else:
            source = QT_TRANSLATE_NOOP("Report", "typed")
        return [
            self.time(charted.at),
            charted.by,
            source,
            cell("hr"),
            cell("sbp", "dbp"),
            cell("temp"),
            cell("spo2"),
            cell("rr"),
            cell(ACVPU),
            cell(O2_FLOW),
            self._news2_cell(charted.news2, charted.missing),
        ]

    def _news2_cell(self, score: News2 | None, missing: Sequence[str]) -> Paragraph:
        if score is None:
            names = joined([LABELS.get(m, Text.data(m)) for m in missing if m != "pulse"])
            return self.text(
                QT_TRANSLATE_NOOP("Report", "not scored: no {missing}").format(missing=names),
                SMALL,
            )
        words = QT_TRANSLATE_NOOP("Report", "{score} ({band})").format(
            score=score.aggregate, band=score.band.text
        )
        return self.text(words, CELL_BOLD if score.aggregate >= 5 else CELL)

    def reactions(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Term"),
            QT_TRANSLATE_NOOP("Report", "CTCAE"),
            QT_TRANSLATE_NOOP("Report", "Grade"),
            QT_TRANSLATE_NOOP("Report", "Onset"),
            QT_TRANSLATE_NOOP("Report", "Actions"),
            QT_TRANSLATE_NOOP("Report", "Resolved"),
            QT_TRANSLATE_NOOP("Report", "Note"),
            QT_TRANSLATE_NOOP("Report", "By"),
        ]
        rows = [
            [
                Text.data(r.term),
                f"v{r.ctcae_version}",
                f"{r.grade}",
                self.time(r.onset_at),
                self.render(joined([ACTION_TITLES.get(a, Text.data(a)) for a in r.actions])),
                self.time(r.resolved_at)
                if r.resolved_at
                else self.render(QT_TRANSLATE_NOOP("Report", "not resolved")),
                r.note or "",
                r.entered_by,
            ]
            for r in record.reactions
        ]
        return [self.table(head, rows, [20, 7, 6, 8, 22, 10, 21, 6])] if rows else []

    def alarms(self, record: DayRecord) -> list[Flowable]:
        counts = record.alarm_counts
        line = QT_TRANSLATE_NOOP(
            "Report", "Alarms of the day: {high} high, {medium} medium, {low} low priority"
        ).format(
            high=counts.get(Priority.HIGH, 0),
            medium=counts.get(Priority.MEDIUM, 0),
            low=counts.get(Priority.LOW, 0),
        )
        flow: list[Flowable] = [self.text(line, BODY)]
        high = [a for a in record.alarms if a.priority is Priority.HIGH]
        if high:
            head = [
                QT_TRANSLATE_NOOP("Report", "Started"),
                QT_TRANSLATE_NOOP("Report", "High-priority alarm"),
                QT_TRANSLATE_NOOP("Report", "Acknowledged"),
                QT_TRANSLATE_NOOP("Report", "Outcome"),
            ]
            rows = [
                [
                    self.time(a.started_at),
                    a.message,
                    QT_TRANSLATE_NOOP("Report", "{time} by {nurse}").format(
                        time=self.time(a.acknowledged_at), nurse=a.acknowledged_by
                    )
                    if a.acknowledged_at
                    else QT_TRANSLATE_NOOP("Report", "not acknowledged"),
                    a.outcome,
                ]
                for a in high
            ]
            flow += [Spacer(1, 3), self.table(head, rows, [9, 51, 18, 22])]
        return flow

    def warnings(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Time"),
            QT_TRANSLATE_NOOP("Report", "Opened because"),
            QT_TRANSLATE_NOOP("Report", "Signs present"),
            QT_TRANSLATE_NOOP("Report", "Signs absent"),
            QT_TRANSLATE_NOOP("Report", "Advice given"),
            QT_TRANSLATE_NOOP("Report", "By"),
        ]
        rows = [
            [
                self.time(w.at),
                w.trigger,
                self.text(
                    self.joined(w.present) or self.render(QT_TRANSLATE_NOOP("Report", "none")),
                    CELL_BOLD if w.present else CELL,
                ),
                self.joined(w.absent),
                w.advice or "—",
                w.by,
            ]
            for w in record.warnings
        ]
        return [self.table(head, rows, [8, 18, 20, 30, 18, 6])] if rows else []

    def notes(self, record: DayRecord) -> list[Flowable]:
        rows = [[self.time(n.written_at), n.text, n.entered_by] for n in record.notes]
        head = [
            QT_TRANSLATE_NOOP("Report", "Time"),
            QT_TRANSLATE_NOOP("Report", "Note"),
            QT_TRANSLATE_NOOP("Report", "By"),
        ]
        return [self.table(head, rows, [9, 85, 6])] if rows else []

    def corrections(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "When"),
            QT_TRANSLATE_NOOP("Report", "Record"),
            QT_TRANSLATE_NOOP("Report", "Original"),
            QT_TRANSLATE_NOOP("Report", "Correction"),
            QT_TRANSLATE_NOOP("Report", "By"),
            QT_TRANSLATE_NOOP("Report", "Why"),
        ]
        rows = [
            [self.time(c.at), c.what, c.original, c.correction, c.by, c.reason]
            for c in record.corrections
        ]
        return [self.table(head, rows, [8, 18, 22, 22, 6, 24])] if rows else []

    def labs(self, record: DayRecord) -> list[Flowable]:
        head = [
            QT_TRANSLATE_NOOP("Report", "Test"),
            QT_TRANSLATE_NOOP("Report", "Due"),
            QT_TRANSLATE_NOOP("Report", "Sampled"),
            QT_TRANSLATE_NOOP("Report", "By"),
            QT_TRANSLATE_NOOP("Report", "State"),
            QT_TRANSLATE_NOOP("Report", "Note"),
        ]
        rows = [
            [
                lab.title,
                self.time(lab.due_at),
                self.time(lab.done_at),
                lab.by or "",
                lab.state,
                lab.note or "",
            ]
            for lab in record.labs
        ]
        return [self.table(head, rows, [30, 10, 10, 8, 12, 30])] if rows else []

    def day_story(
        self,
        record: DayRecord,
        curves: Mapping[str, Envelope],
        line_gaps_s: Mapping[str, float],
    ) -> list[Flowable]:
        """Every section of one patient's day, in the order a nurse reads it."""
        story: list[Flowable] = self.header(record)
        story += self.section(_HEADINGS["timeline"], self.timeline(record))
        story += self.section(_HEADINGS["mar"], self.administrations(record))
        story.append(CondPageBreak(150 * mm))
        story += self.section(_HEADINGS["vitals"], self.vitals_chart(record, curves, line_gaps_s))
        story += self.section(_HEADINGS["parameters"], self.parameters(record))
        story += self.section(_HEADINGS["sets"], self.charted_sets(record))
        story += self.section(_HEADINGS["reactions"], self.reactions(record))
        story += self.section(_HEADINGS["alarms"], self.alarms(record))
        story += self.section(_HEADINGS["warnings"], self.warnings(record))
        story += self.section(_HEADINGS["notes"], self.notes(record))
        story += self.section(_HEADINGS["corrections"], self.corrections(record))
        return self.signed(story, _HEADINGS["labs"], self.labs(record))

    # -- the unit's summary ----------------------------------------------------------------------

    def summary_page(self, record: DayRecord, number: int, count: int) -> list[Flowable]:
        """One patient's page of the unit summary: key times, reactions, NEWS2, alarms."""
        title = QT_TRANSLATE_NOOP(
            "Report", "{title}: {unit}, {date} (patient {number} of {count})"
        ).format(
            title=_UNIT_TITLE, unit=self.unit, date=self.day.isoformat(), number=number, count=count
        )
        patient = record.admission.patient
        who = QT_TRANSLATE_NOOP("Report", "{name}, ID {id}, born {born}; {course}; {chair}").format(
            name=patient.name,
            id=patient.hospital_id,
            born=patient.date_of_birth.isoformat(),
            course=record.admission.course_text,
            chair=record.chair or "—",
        )
        story: list[Flowable] = [
            Paragraph(escape(self.render(title)), H2),
            Spacer(1, 3),
            self.text(who, BODY),
            self.text(
                QT_TRANSLATE_NOOP("Report", "State of the day: {step}").format(
                    step=record.status.step.text
                ),
                BODY,
            ),
            Spacer(1, 6),
        ]
        key_rows = [
            [
                QT_TRANSLATE_NOOP("Report", "Day planned to start"),
                self.time(record.admission.planned_start),
            ],
            *(
                [label, self.time(record.key_time(kind))]
                for label, kind in _KEY_STEPS
                if any(t.kind is kind for t in record.status.tasks)
            ),
        ]
        if record.status.infusion_state is InfusionState.STOPPED:
            key_rows.append([_KEY_STOPPED, self.time(record.status.infusion_ended_at)])
        story.append(
            self.table(
                [QT_TRANSLATE_NOOP("Report", "Key times"), QT_TRANSLATE_NOOP("Report", "Time")],
                key_rows,
                [60, 40],
            )
        )
        story.append(Spacer(1, 6))
        story.append(self.heading(_HEADINGS["reactions"]))
        story += self.reactions(record) or [self.text(NONE, BODY)]
        story.append(Spacer(1, 6))
        best = record.highest_news2
        news = (
            QT_TRANSLATE_NOOP(
                "Report", "Highest NEWS2 of the day: {score} ({band}) at {time}"
            ).format(score=best.news2.aggregate, band=best.news2.band.text, time=self.time(best.at))
            if best is not None and best.news2 is not None
            else QT_TRANSLATE_NOOP("Report", "Highest NEWS2 of the day: no complete set charted")
        )
        story.append(self.text(news, CELL_BOLD))
        story.append(Spacer(1, 6))
        story.append(self.heading(_HEADINGS["alarms"]))
        story += self.alarms(record)
        return story


_KEY_STOPPED = QT_TRANSLATE_NOOP("Report", "Infusion stopped early")
_KEY_STEPS = (
    (QT_TRANSLATE_NOOP("Report", "Premedication given"), TaskKind.PREMEDICATION),
    (QT_TRANSLATE_NOOP("Report", "Methylprednisolone started"), TaskKind.STEROID_START),
    (QT_TRANSLATE_NOOP("Report", "Methylprednisolone finished"), TaskKind.STEROID_FINISH),
    (QT_TRANSLATE_NOOP("Report", "Alemtuzumab started"), TaskKind.INFUSION_START),
    (QT_TRANSLATE_NOOP("Report", "Alemtuzumab ended"), TaskKind.INFUSION_END),
    (QT_TRANSLATE_NOOP("Report", "Platelet count sampled"), TaskKind.LAB),
    (QT_TRANSLATE_NOOP("Report", "Observation ended"), TaskKind.OBSERVATION_END),
)


AIR = QT_TRANSLATE_NOOP("Report", "air")
"""What the oxygen column says for a patient breathing room air."""


def content_width() -> float:
    """The width of a page's text, in points (what the trend chart spans)."""
    return WIDTH


def value_text(parameter: str, value: float) -> str:
    """A value as the report prints it: temperature to 0.1, ACVPU as its letter, oxygen in
    L/min (0 is air), the rest whole numbers."""
    if parameter == "temp":
        return f"{value:.1f}"
    if parameter == ACVPU:
        letters = list(ACVPU_LEVELS)
        return letters[int(value)] if 0 <= int(value) < len(letters) else f"{value:g}"
    if parameter == O2_FLOW:
        return AIR if value == 0 else f"{value:g} L/min"
    return f"{value:.0f}"


def _flag(parameter: str, value: float, ranges: Mapping[str, tuple[float, float]]) -> str:
    bounds = ranges.get(parameter)
    if bounds is None:
        return " !"
    return " H" if value > bounds[1] else " L"


# -- the documents ---------------------------------------------------------------------------------


def day_pdf(
    record: DayRecord,
    curves: Mapping[str, Envelope],
    *,
    unit: str,
    tr: Callable[[str], str],
    local: Callable[[datetime], datetime],
    line_gaps_s: Mapping[str, float],
) -> bytes:
    """The PDF of one patient's infusion day."""
    writer = _Writer(
        tr=tr, local=local, unit=unit, day=record.admission.date, created_at=record.created_at
    )
    patient = record.admission.patient
    born = tr(
        QT_TRANSLATE_NOOP("Report", "born {date}").format(date=patient.date_of_birth.isoformat())
    )
    head = " · ".join(
        [
            tr(_TITLE),
            unit,
            record.admission.date.isoformat(),
            patient.name,
            patient.hospital_id,
            born,
        ]
    )
    return document(
        writer.day_story(record, curves, line_gaps_s),
        title=f"{tr(_TITLE)} {patient.hospital_id} {record.admission.date.isoformat()}",
        subject=f"{patient.name} ({patient.hospital_id})",
        running_head=head,
        writer=writer,
    )


def summary_pdf(
    records: Sequence[DayRecord],
    *,
    unit: str,
    day: date,
    created_at: datetime,
    tr: Callable[[str], str],
    local: Callable[[datetime], datetime],
) -> bytes:
    """The unit's summary of a date: one page per patient."""
    writer = _Writer(tr=tr, local=local, unit=unit, day=day, created_at=created_at)
    story: list[Flowable] = []
    for number, record in enumerate(records, start=1):
        if story:
            story.append(PageBreak())
        story += writer.summary_page(record, number, len(records))
    return document(
        story,
        title=f"{tr(_UNIT_TITLE)} {day.isoformat()}",
        subject=unit,
        running_head=f"{tr(_UNIT_TITLE)} · {unit} · {day.isoformat()}",
        writer=writer,
    )
