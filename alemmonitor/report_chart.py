"""The vital-sign trends of a printed day: the monitor's values as a min/max envelope per column.

A day at one value a second has tens of thousands of values per parameter, and a page has a few
hundred points across. Thinning the values out (every n-th) would lose exactly what matters, a
short peak; instead the time axis is cut into columns narrower than the eye separates at any
sensible zoom (`COLUMN_PT`), and each column draws the lowest and the highest value measured in
it. Every extreme stays on the page. The columns are computed by SQLite from the record, so the
values never pass through Python one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from reportlab.lib.colors import Color, black, white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from alemmonitor.report_data import DayRecord, Envelope, device_envelopes, value_columns
from alemmonitor.store import Store
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

COLUMN_PT = 0.5
"""Width of one envelope column on the page (0.18 mm): finer than a printer's dot row of ink
shows apart, so no zoom makes a column's extremes merge with its neighbour's."""


def envelopes(
    store: Store, day_id: str, start: datetime, end: datetime, columns: int
) -> dict[str, Envelope]:
    """The day's monitor values from `start` to `end` as `columns` min/max columns per
    parameter (charted values are drawn as points of their own)."""
    return device_envelopes(value_columns(store, day_id, start, end, columns))


# -- drawing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    parameter: str
    shade: float
    """Grey level of the line: 0 black, 1 white (the report must read in greyscale)."""
    width: float
    dash: tuple[float, ...] = ()


@dataclass(frozen=True)
class _Panel:
    title: Text
    unit: str
    lines: tuple[_Line, ...]
    floor: tuple[float, float]
    """The least value range the axis shows, so that a flat day does not look dramatic."""


_PANELS = (
    _Panel(
        QT_TRANSLATE_NOOP("Report", "Heart rate (black), pulse (grey)"),
        "/min",
        (_Line("pr", 0.6, 0.6), _Line("hr", 0.0, 0.7)),
        (50, 110),
    ),
    _Panel(
        QT_TRANSLATE_NOOP("Report", "Blood pressure: systolic, diastolic (black), mean (dashed)"),
        "mmHg",
        (_Line("sbp", 0.0, 0.8), _Line("dbp", 0.0, 0.8), _Line("map", 0.45, 0.6, (2, 1.5))),
        (50, 160),
    ),
    _Panel(
        QT_TRANSLATE_NOOP("Report", "Temperature"), "°C", (_Line("temp", 0.0, 0.8),), (35.5, 38.5)
    ),
    _Panel(QT_TRANSLATE_NOOP("Report", "SpO2"), "%", (_Line("spo2", 0.0, 0.7),), (90, 100)),
    _Panel(
        QT_TRANSLATE_NOOP("Report", "Respiration rate"), "/min", (_Line("rr", 0.0, 0.7),), (8, 24)
    ),
)
_CHARTED_KEYS = {"hr": "hr", "sbp": "sbp", "dbp": "dbp", "temp": "temp", "spo2": "spo2", "rr": "rr"}

_AXIS = 34.0  # room for the values on the left
_TOP = 18.0  # room for the event numbers, on two rows
_BOTTOM = 14.0  # room for the hours
_GAP = 7.0  # between panels
_RANGE_SHADE = Color(0.9, 0.9, 0.9)
_GRID_SHADE = Color(0.8, 0.8, 0.8)


class TrendChart(Flowable):
    """The day's trends in stacked panels with the events marked; `envelopes` per parameter.

    `line_gaps_s` break a line where the monitor sent nothing for longer (per parameter);
    `local` turns a time into the ward's local time for the hour labels; `tr` renders texts.
    """

    def __init__(
        self,
        record: DayRecord,
        curves: Mapping[str, Envelope],
        *,
        width: float,
        height: float,
        line_gaps_s: Mapping[str, float],
        local: Callable[[datetime], datetime],
        tr: Callable[[str], str],
        font: str,
    ) -> None:
        super().__init__()
        self.record = record
        self.curves = curves
        self.width = width
        self.height = height
        self.line_gaps_s = line_gaps_s
        self.local = local
        self.render = tr
        self.font = font

    @staticmethod
    def columns_for(width: float) -> int:
        """How many envelope columns a chart this wide draws."""
        return max(1, int((width - _AXIS) / COLUMN_PT))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        start, end = self.record.span
        plot_width = self.width - _AXIS
        columns = self.columns_for(self.width)
        total = (end - start).total_seconds()

        def x_of(moment: datetime) -> float:
            return _AXIS + (moment - start).total_seconds() / total * plot_width

        panel_height = (self.height - _TOP - _BOTTOM - _GAP * (len(_PANELS) - 1)) / len(_PANELS)
        top = self.height - _TOP
        for panel in _PANELS:
            bottom = top - panel_height
            self._panel(
                canvas,
                panel,
                bottom=bottom,
                height=panel_height,
                plot_width=plot_width,
                columns=columns,
                x_of=x_of,
            )
            top = bottom - _GAP
        self._hours(canvas, start, end, x_of)
        self._markers(canvas, x_of)

    def _panel(
        self,
        canvas: Canvas,
        panel: _Panel,
        *,
        bottom: float,
        height: float,
        plot_width: float,
        columns: int,
        x_of: Callable[[datetime], float],
    ) -> None:
        low, high = self._value_range(panel)

        def y_of(value: float) -> float:
            return bottom + (value - low) / (high - low) * height

        canvas.saveState()
        for line in panel.lines:
            normal = self.record.normal_ranges.get(line.parameter)
            if normal is not None and line.shade == 0.0:
                lo, hi = max(normal[0], low), min(normal[1], high)
                if hi > lo:
                    canvas.setFillColor(_RANGE_SHADE)
                    canvas.rect(_AXIS, y_of(lo), plot_width, y_of(hi) - y_of(lo), stroke=0, fill=1)
        self._grid(canvas, low, high, y_of, plot_width)
        clip = canvas.beginPath()
        clip.rect(_AXIS, bottom, plot_width, height)
        canvas.clipPath(clip, stroke=0, fill=0)
        column_width = plot_width / columns
        span_s = (self.record.span[1] - self.record.span[0]).total_seconds()
        for line in panel.lines:
            curve = self.curves.get(line.parameter)
            if curve is None or not len(curve):
                continue
            gap = self.line_gaps_s.get(line.parameter, 60.0) / (span_s / columns)
            self._envelope(
                canvas,
                curve,
                line,
                column_width=column_width,
                y_of=y_of,
                gap_columns=max(gap, 1.0),
            )
        self._charted(canvas, panel, x_of, y_of)
        canvas.restoreState()
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.5)
        canvas.rect(_AXIS, bottom, plot_width, height, stroke=1, fill=0)
        canvas.setFont(self.font, 6.5)
        canvas.setFillColor(black)
        canvas.drawString(
            _AXIS + 3, bottom + height - 8, f"{self.render(panel.title)} ({panel.unit})"
        )

    def _value_range(self, panel: _Panel) -> tuple[float, float]:
        values = list(panel.floor)
        for line in panel.lines:
            curve = self.curves.get(line.parameter)
            if curve is not None and len(curve):
                values += [float(curve.low.min()), float(curve.high.max())]
            key = _CHARTED_KEYS.get(line.parameter)
            values += [s.values[key] for s in self.record.sets if key and key in s.values]
        low, high = min(values), max(values)
        step = _nice_step((high - low) / 4)
        low = math.floor(low / step) * step
        high = math.ceil(high / step) * step
        # A little room above and below, so that a value on the limit is not drawn on the frame.
        margin = (high - low) * 0.06
        return low - margin, high + margin

    def _grid(
        self,
        canvas: Canvas,
        low: float,
        high: float,
        y_of: Callable[[float], float],
        plot_width: float,
    ) -> None:
        step = _nice_step((high - low) / 4)
        value = math.ceil(low / step) * step
        canvas.setFont(self.font, 6)
        canvas.setLineWidth(0.25)
        while value <= high:
            y = y_of(value)
            canvas.setStrokeColor(_GRID_SHADE)
            canvas.line(_AXIS, y, _AXIS + plot_width, y)
            canvas.setFillColor(black)
            label = f"{value:.1f}" if step < 1 else f"{value:.0f}"
            canvas.drawRightString(_AXIS - 3, y - 2, label)
            value += step

    @staticmethod
    def _envelope(
        canvas: Canvas,
        curve: Envelope,
        line: _Line,
        *,
        column_width: float,
        y_of: Callable[[float], float],
        gap_columns: float,
    ) -> None:
        """The band from each column's lowest to its highest value, broken at long gaps."""
        shade = Color(line.shade, line.shade, line.shade)
        canvas.setStrokeColor(shade)
        canvas.setFillColor(shade)
        canvas.setLineWidth(line.width)
        canvas.setLineJoin(1)
        if line.dash:
            canvas.setDash(list(line.dash))
        breaks = np.flatnonzero(np.diff(curve.columns) > gap_columns) + 1
        for piece in np.split(np.arange(len(curve)), breaks):
            xs = (curve.columns[piece] + 0.5) * column_width + _AXIS
            highs = [y_of(v) for v in curve.high[piece]]
            lows = [y_of(v) for v in curve.low[piece]]
            path = canvas.beginPath()
            path.moveTo(float(xs[0]), highs[0])
            for x, y in zip(xs[1:], highs[1:], strict=True):
                path.lineTo(float(x), y)
            for x, y in zip(xs[::-1], lows[::-1], strict=True):
                path.lineTo(float(x), y)
            path.close()
            canvas.drawPath(path, stroke=1, fill=0 if line.dash else 1)
        canvas.setDash([])

    def _charted(
        self,
        canvas: Canvas,
        panel: _Panel,
        x_of: Callable[[datetime], float],
        y_of: Callable[[float], float],
    ) -> None:
        """The charted sets' values as open circles over the monitor's band."""
        canvas.setLineWidth(0.7)
        canvas.setStrokeColor(black)
        canvas.setFillColor(white)
        for charted in self.record.sets:
            for line in panel.lines:
                key = _CHARTED_KEYS.get(line.parameter)
                if key is not None and key in charted.values:
                    canvas.circle(x_of(charted.at), y_of(charted.values[key]), 1.8, 1, 1)

    def _hours(
        self,
        canvas: Canvas,
        start: datetime,
        end: datetime,
        x_of: Callable[[datetime], float],
    ) -> None:
        total_hours = (end - start).total_seconds() / 3600
        every = 1 if total_hours <= 14 else 2
        moment = start
        canvas.setFont(self.font, 6.5)
        canvas.setFillColor(black)
        while moment <= end:
            canvas.drawCentredString(x_of(moment), 3, f"{self.local(moment):%H:%M}")
            canvas.setStrokeColor(_GRID_SHADE)
            canvas.setLineWidth(0.25)
            canvas.line(x_of(moment), _BOTTOM - 3, x_of(moment), _BOTTOM)
            moment += timedelta(hours=every)

    def _markers(self, canvas: Canvas, x_of: Callable[[datetime], float]) -> None:
        """Each event as a dashed line through every panel, numbered as in the list below."""
        canvas.setFont(self.font, 6)
        for number, marker in enumerate(self.record.markers, start=1):
            x = x_of(marker.at)
            canvas.setStrokeColor(Color(0.35, 0.35, 0.35))
            canvas.setLineWidth(0.4)
            canvas.setDash([1.5, 1.5])
            canvas.line(x, _BOTTOM, x, self.height - _TOP + 2)
            canvas.setDash([])
            canvas.setFillColor(black)
            # Neighbouring events alternate rows so that their numbers stay apart.
            canvas.drawCentredString(x, self.height - _TOP + 3 + (number % 2) * 7, str(number))


def _nice_step(raw: float) -> float:
    """A step of 1, 2 or 5 times a power of ten near `raw`."""
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)
