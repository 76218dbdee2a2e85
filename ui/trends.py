"""Live trends of a chair's vital signs: five stacked plots on one time axis, the day's markers
across them and the normal ranges shaded behind them.

Readings are stored as they arrive; this view only reads what was stored, once a second, and
repaints from that: the acquisition rate never sets the paint rate. A device stream is drawn
thinned to the screen (each pixel column's lowest and highest value: no peak is lost), recomputed
only for the columns that new values fall into. What did not change is kept as a ready picture:
axes, normal ranges, markers, legends, charted symbols, each line but its newest columns; so a
second's repaint mostly copies pictures and draws a sliver of each line.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHideEvent,
    QPainter,
    QPen,
    QPixmapCache,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from alemmonitor.clock import Clock
from alemmonitor.errors import StoreError
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text
from alemmonitor.trends import (
    ChairTrends,
    Envelope,
    FloatArray,
    Marker,
    MarkerKind,
    Points,
    Selection,
    TrendPoint,
    TrendSeries,
    TrendSource,
    start_of_local_day,
)
from alemmonitor.vitals import LABELS
from devices.readings import Parameter
from ui.i18n import message_of, translated
from ui.worker_news import deliver

REFRESH_MS = 1000
HOUR = 3600.0
WINDOWS: tuple[tuple[Text, float | None], ...] = (
    (QT_TRANSLATE_NOOP("TrendsWidget", "Last hour"), HOUR),
    (QT_TRANSLATE_NOOP("TrendsWidget", "4 hours"), 4 * HOUR),
    (QT_TRANSLATE_NOOP("TrendsWidget", "Whole day"), None),
)
"""The windows a nurse can choose: label and span in seconds (None: the whole day)."""
DEFAULT_WINDOW = 4 * HOUR
HOVER_RADIUS_PX = 16.0
"""How close (in pixels) the pointer must be to a value for its readout; a fingertip's width."""

# The view advances by this share of its span when the newest value nears its right edge, and
# leaves that much room after the newest value.
_STEP = 0.05
_Y_PADDING = 0.08
# A value range is narrowed once it is wider than needed by more than this share.
_Y_SLACK = 0.5
_AXIS_WIDTH = 52
_LANE_ROWS = 4
_LANE_FONT_PX = 12
_LANE_ROW_PX = 17
_LABEL_GAP_PX = 6
_LABEL_PAD_PX = 3
# A line's recent stretch (`_DayLine`) is at most this many vertices: 64 columns.
_BLOCK_VERTICES = 128
# Ready pictures live in Qt's pixmap cache, 10 MB by default: a chair's trends hold 2-5 MB of
# them, and a cache too small for the trends shown throws pictures out and redraws everything.
_PICTURE_CACHE_KB = 64 * 1024


@dataclass(frozen=True)
class _PlotSpec:
    title: Text
    parameters: tuple[Parameter, ...]
    shaded: tuple[Parameter, ...]  # whose normal ranges are shaded (HR and PR share one)


_PLOTS = (
    # German wards write blood pressure "RR" and respiration "AF": each axis is translated.
    _PlotSpec(
        QT_TRANSLATE_NOOP("TrendsWidget", "HR /min"), (Parameter.HR, Parameter.PR), (Parameter.HR,)
    ),
    _PlotSpec(
        QT_TRANSLATE_NOOP("TrendsWidget", "BP mmHg"),
        (Parameter.SBP, Parameter.DBP, Parameter.MAP),
        (Parameter.SBP, Parameter.DBP),
    ),
    _PlotSpec(QT_TRANSLATE_NOOP("TrendsWidget", "Temp °C"), (Parameter.TEMP,), (Parameter.TEMP,)),
    _PlotSpec(QT_TRANSLATE_NOOP("TrendsWidget", "SpO2 %"), (Parameter.SPO2,), (Parameter.SPO2,)),
    _PlotSpec(QT_TRANSLATE_NOOP("TrendsWidget", "RR /min"), (Parameter.RR,), (Parameter.RR,)),
)
_COLOURS = {
    Parameter.HR: "#15803d",
    Parameter.PR: "#0f766e",
    Parameter.SBP: "#b91c1c",
    Parameter.DBP: "#1d4ed8",
    Parameter.MAP: "#7c3aed",
    Parameter.TEMP: "#c2410c",
    Parameter.SPO2: "#0369a1",
    Parameter.RR: "#a16207",
}
# Charted blood pressure as on paper charts: systolic a downward, diastolic an upward triangle.
_SYMBOLS = {Parameter.SBP: "t", Parameter.DBP: "t1", Parameter.MAP: "d"}
_MARKER_COLOURS = {
    MarkerKind.MEDICATION: "#6b21a8",
    MarkerKind.INFUSION: "#1f4fbf",
    MarkerKind.OBSERVATION: "#374151",
    MarkerKind.REACTION: "#dc2626",
}
_TEXT = "#374151"
NIGHT_BACKGROUND = "#111827"
NIGHT_TEXT = "#d1d5db"
_LABEL_FILL = (255, 255, 255, 225)


class _LoadNews(QObject):
    """Carries a finished load from its worker thread to the GUI thread.

    Signals: `loaded(number, trends)`, `failed(number, message)`. Lives on the GUI thread;
    emitted from the worker.
    """

    loaded = Signal(int, object)
    failed = Signal(int, str)


class _DayLine(pg.PlotDataItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A device stream on a plot: its data the day's values, what it draws their envelope over
    the pixel columns of the view (`Envelope`), updated for the values that arrived.

    pyqtgraph's own clipping and peak downsampling went over the whole day at every new value;
    their options are set all the same, as they say what is drawn: clipped to the view, thinned
    by peaks.
    """

    def __init__(self, **options: Any) -> None:
        self._points: Points | None = None
        self._envelope = Envelope()
        self._drawn_parts = (-1, -1)
        self.sample: QGraphicsItem | None = None
        """The line's sample in its plot's legend, which shows whether the line is drawn."""
        self.recent: pg.PlotCurveItem | None = None
        self.newest: pg.PlotCurveItem | None = None
        super().__init__(**options)
        # The line is drawn in three parts, each joined to the one before: `curve` up to the
        # last boundary of a block of columns, `recent` since, and `newest`, the newest column.
        # Most new values change only the newest column, the next column only the recent
        # stretch: a second's repaint redraws a sliver, not the day.
        self.recent = pg.PlotCurveItem()
        self.newest = pg.PlotCurveItem()
        for part in (self.recent, self.newest):
            part.setParentItem(self)
        self._draw(style=True)

    def setVisible(self, visible: bool) -> None:  # noqa: N802, FBT001 - Qt's name
        """Draw the line or not; its legend sample says which (it is a cached picture)."""
        if visible != self.isVisible():
            super().setVisible(visible)
            if self.sample is not None:
                self.sample.update()

    def show_points(self, points: Points, start: float, stop: float, columns: int) -> bool:
        """Draw these points from `start` to `stop` (the view's span) in `columns` columns
        (its width in pixels); only what is new is taken in. Whether what is drawn changed."""
        self._points = points
        return self._follow(start, stop, columns)

    def follow_view(self) -> None:
        """Follow a new span or width of the view."""
        view = self.getViewBox()
        if self._points is not None and isinstance(view, pg.ViewBox):
            (start, stop), _ = view.viewRange()
            self._follow(start, stop, max(1, round(view.width())))

    def _follow(self, start: float, stop: float, columns: int) -> bool:
        if self._points is None or stop <= start:
            return False
        if not self._envelope.update(self._points, start, stop, columns):
            return False
        self._draw(style=False)
        return True

    def value_range(self) -> tuple[float, float] | None:
        """The lowest and highest value drawn in the view, if any."""
        return self._envelope.value_range if self._points is not None else None

    @property
    def parts(self) -> list[pg.PlotCurveItem]:
        """The items drawing the line (see `__init__`)."""
        return [part for part in (self.curve, self.recent, self.newest) if part is not None]

    def _draw(self, *, style: bool) -> None:
        parts = self.parts
        if style:
            for part in parts:
                part.setPen(self.opts["pen"])
                part.opts["antialias"] = self.opts["antialias"]
        envelope = self._envelope
        self.scatter.hide()
        if self._points is None or len(envelope.x) == 0 or len(parts) < 3:
            for part in parts:
                part.hide()
            return
        newest = max(len(envelope.x) - 3, 0)  # from the vertex joining the newest column
        recent = newest // _BLOCK_VERTICES * _BLOCK_VERTICES
        changed = 0 if style else envelope.changed_from
        moved = (recent, newest) != self._drawn_parts
        if changed <= recent or recent != self._drawn_parts[0]:
            self._draw_part(self.curve, 0, recent + 1)
        if changed <= newest or moved:
            self._draw_part(parts[1], recent, newest + 1)
        self._draw_part(parts[2], newest, len(envelope.x))
        self._drawn_parts = (recent, newest)
        for part in parts:
            part.show()

    def _draw_part(self, part: pg.PlotCurveItem, first: int, stop: int) -> None:
        """Give `part` the envelope's vertices from `first` to before `stop`."""
        envelope = self._envelope
        part.setData(
            x=envelope.x[first:stop],
            y=envelope.y[first:stop],
            connect="all" if envelope.joined else envelope.connect[first:stop],
            skipFiniteCheck=True,
        )

    # pyqtgraph's hooks, under its names

    def updateItems(self, styleUpdate: bool = True) -> None:  # noqa: N802, N803, FBT001, FBT002
        """Redraw (pyqtgraph calls this when an option or the style changes)."""
        self._draw(style=styleUpdate)

    def viewRangeChanged(self, vb: Any = None, ranges: Any = None, changed: Any = None) -> None:  # noqa: N802
        """The view moved: the columns move with it."""
        del vb, ranges, changed
        self.follow_view()

    def viewTransformChanged(self) -> None:  # noqa: N802
        """The view moved or was resized: so did the columns."""
        super().viewTransformChanged()
        self.follow_view()

    def getOriginalDataset(self) -> tuple[FloatArray, FloatArray] | tuple[None, None]:  # noqa: N802
        """All the values, as given: times (seconds since the epoch) and values."""
        if self._points is None or not len(self._points):
            return None, None
        return self._points.times, self._points.values

    def getData(self) -> tuple[FloatArray, FloatArray] | tuple[None, None]:  # noqa: N802
        """What is drawn: the envelope's vertices."""
        if self._points is None or not len(self._envelope.x):
            return None, None
        return self._envelope.x, self._envelope.y


class _Symbols(pg.ScatterPlotItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Charted values' symbols: their bounds (the values, padded by the symbols' size in pixels)
    are computed when the values or the view change, not at every repaint."""

    def __init__(self) -> None:
        self._rect: QRectF | None = None
        self._rect_of: object = None
        super().__init__()

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's name
        """The view moved or was resized: the padding in pixels is another in values."""
        self._rect = None
        super().viewTransformChanged()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        """The symbols' bounds."""
        # pyqtgraph replaces its list of data bounds whenever the symbols change.
        if self._rect is None or self._rect_of is not self.bounds:
            self._rect = QRectF(super().boundingRect())
            self._rect_of = self.bounds
        return self._rect


class _ChartedSet(pg.PlotDataItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A parameter's charted (manual) values, drawn as symbols (`_Symbols`)."""

    scatter: Any

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        # The symbols a PlotDataItem makes for itself compute their bounds at every repaint:
        # ours replace them. Charted symbols answer no clicks, so no signal is wired.
        symbols = _Symbols()
        self.scatter.setParentItem(None)
        self.scatter = symbols
        symbols.setParentItem(self)
        self.updateItems(styleUpdate=True)


class _AcrossView(pg.GraphicsObject):  # type: ignore[misc]  # pyqtgraph has no type hints
    """An item drawn across its whole view: its bounds are the view's rectangle, taken when the
    view moves or is resized, not at every repaint."""

    def __init__(self) -> None:
        super().__init__()
        self._bounds: QRectF | None = None

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's name
        """The view moved or was resized: the item spans it anew."""
        super().viewTransformChanged()
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        """The view's rectangle."""
        if self._bounds is None:
            rect = self.viewRect()
            self._bounds = QRectF() if rect is None else QRectF(rect)
        return self._bounds


class _MarkerLines(_AcrossView):
    """The day's markers across one plot as dashed vertical lines: one item draws them all, so
    a repaint costs one item, not one per marker."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[float, QPen]] = []

    def set_lines(self, lines: list[tuple[float, QPen]]) -> None:
        """Draw lines at these times (seconds since the epoch), each with its pen."""
        self.lines = lines
        self.update()

    def paint(self, painter: QPainter, *_: Any) -> None:
        """Draw each line that falls in the view."""
        rect = self.boundingRect()
        for at, pen in self.lines:
            if rect.left() <= at <= rect.right():
                painter.setPen(pen)
                painter.drawLine(QPointF(at, rect.top()), QPointF(at, rect.bottom()))


def place_labels(
    ats: list[float], widths: list[float], left_edge: float, right_edge: float
) -> list[tuple[float, int]]:
    """Where each marker's label goes in the lane: its left end and its row, for markers at `ats`
    (in time order, in pixels) with labels `widths` wide, between the lane's edges.

    A label starts at its marker; one that would run past the right edge ends there, and the
    label of a marker before the lane starts at its left edge (it reads "← ..."): each label is
    shown whole. It goes into the first row where it clears the previous label; when every row is
    taken up to there, into the row that frees up first.
    """
    places = []
    row_ends = [-math.inf] * _LANE_ROWS
    for at, width in zip(ats, widths, strict=True):
        left = max(left_edge, min(at, right_edge - width))
        row = next(
            (r for r, end in enumerate(row_ends) if end + _LABEL_GAP_PX <= left),
            min(range(_LANE_ROWS), key=lambda r: row_ends[r]),
        )
        row_ends[row] = left + width
        places.append((left, row))
    return places


class _MarkerLane(_AcrossView):
    """The strip above the plots: each marker's dashed line and its label, the labels stacked in
    rows so that labels close in time do not overlap (`place_labels`). One item draws them all.
    """

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.markers: list[Marker] = []
        self._labels: list[str] = []
        self._font = font
        self._metrics = QFontMetricsF(font)

    def show_markers(self, markers: list[Marker]) -> None:
        """Draw these markers (in time order), labelled in the window's language."""
        self.markers = markers
        self._labels = [translated(marker.label) for marker in markers]
        self.update()

    def paint(self, painter: QPainter, *_: Any) -> None:
        """Draw the lines, then the labels over them, in the device's pixels."""
        transform = painter.transform()
        strip = transform.mapRect(self.boundingRect())
        ats = [transform.map(QPointF(m.at.timestamp(), 0)).x() for m in self.markers]
        labels = [
            f"\u2190 {text}" if at < strip.left() else text
            for at, text in zip(ats, self._labels, strict=True)
        ]
        widths = [self._metrics.horizontalAdvance(label) + 2 * _LABEL_PAD_PX for label in labels]
        places = place_labels(ats, widths, strip.left(), strip.right())
        painter.resetTransform()
        painter.setFont(self._font)
        row_height = strip.height() / _LANE_ROWS
        for marker, at in zip(self.markers, ats, strict=True):
            x = round(at) + 0.5
            painter.setPen(_marker_pen(marker.kind))
            painter.drawLine(QPointF(x, strip.top()), QPointF(x, strip.bottom()))
        for marker, label, width, (left, row) in zip(
            self.markers, labels, widths, places, strict=True
        ):
            box = QRectF(round(left), strip.top() + row * row_height, width, row_height)
            painter.fillRect(box, QColor(*_LABEL_FILL))
            painter.setPen(QColor(_MARKER_COLOURS[marker.kind]))
            painter.drawText(
                box.adjusted(_LABEL_PAD_PX, 0, 0, 0),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
        painter.setTransform(transform)


class _NormalRange(pg.LinearRegionItem):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A normal range shaded behind a plot: its bounds (the band across the view) are computed
    when the view or the band changes, not at every repaint."""

    def __init__(self, **options: Any) -> None:
        self._bounds: QRectF | None = None
        super().__init__(**options)

    def setRegion(self, rgn: Any) -> None:  # noqa: N802 - pyqtgraph's name
        """Move the band's edges."""
        self._bounds = None
        super().setRegion(rgn)

    def lineMoved(self, i: int) -> None:  # noqa: N802 - pyqtgraph's name
        """An edge moved."""
        self._bounds = None
        super().lineMoved(i)

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's name
        """The view moved or was resized: the band spans it anew."""
        super().viewTransformChanged()
        self.prepareGeometryChange()
        self._bounds = None

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        """The band across the view."""
        if self._bounds is None:
            self._bounds = QRectF(super().boundingRect())
        return self._bounds


class TrendsWidget(QWidget):
    """A chair's live vital-sign trends with the day's markers, for one day or one free chair.

    Device streams are thin lines, charted (manual) values large symbols; hovering near a value
    shows its value, local time and source. `show_day` reads the day on a worker thread; after
    that a timer (while the widget is shown) calls `refresh` every second, which reads only
    the rows added since and repaints.

    Signals: `loaded(count)` when a `show_day` has been read and is shown (values shown);
    `load_failed(message)` when it could not be read. Lives on the GUI thread.
    """

    loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(self, source: TrendSource, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.clock = clock
        self._window: float | None = DEFAULT_WINDOW
        self._markers: list[Marker] = []
        self._drawn: dict[int, tuple[int, int]] = {}  # id of an item: (id of its points, revision)
        self._x_range: tuple[float, float] | None = None
        self._y_ranges: dict[int, tuple[float, float]] = {}
        self._loads = 0
        self._news = _LoadNews(self)
        self._news.loaded.connect(self._on_loaded)
        self._news.failed.connect(self._on_load_failed)
        if QPixmapCache.cacheLimit() < _PICTURE_CACHE_KB:
            QPixmapCache.setCacheLimit(_PICTURE_CACHE_KB)

        bar = self._build_window_bar()

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground("w")
        self.graphics.ci.layout.setSpacing(0)
        self.graphics.ci.setContentsMargins(2, 2, 8, 2)
        self.lane = self._add_marker_lane()
        self.plots: list[pg.PlotItem] = []
        self._curves: dict[Parameter, tuple[_DayLine, pg.PlotDataItem]] = {}
        self.time_axis = pg.DateAxisItem(orientation="bottom")
        # The names of the lines that share a plot, in a row of their own under the time axis:
        # inside a plot, a legend hid the values of the window's first hour.
        self.legend = pg.LegendItem(
            colCount=5,
            labelTextSize="8pt",
            labelTextColor=_TEXT,
            frame=False,
            horSpacing=12,
        )
        _cache(self.legend)
        for row, spec in enumerate(_PLOTS, start=1):
            last = row == len(_PLOTS)
            axes = {"bottom": self.time_axis} if last else {}
            plot = self.graphics.addPlot(row=row, col=0, axisItems=axes)
            self._style_plot(plot, translated(spec.title), show_time=last)
            self._add_normal_ranges(plot, spec)
            for parameter in spec.parameters:
                self._curves[parameter] = self._add_curves(plot, parameter, spec)
            self.plots.append(plot)
        self.graphics.addItem(self.legend, row=len(_PLOTS) + 1, col=0)
        # One item per plot draws all the markers' lines, over the curves.
        self._marker_lines: list[_MarkerLines] = []
        for plot in self.plots:
            lines = _MarkerLines()
            _cache(lines)
            plot.addItem(lines, ignoreBounds=True)
            self._marker_lines.append(lines)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.graphics, 1)

        self._hover = pg.SignalProxy(
            self.graphics.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.on_timer)

    # -- building ----------------------------------------------------------------------------

    def _build_window_bar(self) -> QHBoxLayout:
        """The window buttons and the readout beside them."""
        self.window_buttons: dict[float | None, QPushButton] = {}
        self._window_group = group = QButtonGroup(self)
        group.setExclusive(True)
        bar = QHBoxLayout()
        for label, span in WINDOWS:
            button = QPushButton(translated(label))
            button.setCheckable(True)
            button.setMinimumHeight(48)
            button.setMinimumWidth(110)
            button.clicked.connect(lambda _=False, span=span: self.set_window(span))
            group.addButton(button)
            bar.addWidget(button)
            self.window_buttons[span] = button
        self.window_buttons[DEFAULT_WINDOW].setChecked(True)
        self.readout = QLabel()
        self.readout.setObjectName("trendReadout")
        self.readout.setMinimumHeight(44)
        self.readout.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addSpacing(12)
        bar.addWidget(self.readout, 1)
        return bar

    def _add_marker_lane(self) -> pg.PlotItem:
        """A strip above the plots carrying the markers' labels, so none covers a value."""
        lane = self.graphics.addPlot(row=0, col=0)
        lane.hideAxis("bottom")
        lane.getAxis("left").setWidth(_AXIS_WIDTH)
        lane.getAxis("left").setStyle(showValues=False)
        lane.getAxis("left").setPen(pg.mkPen(None))
        # The strip's axis only keeps its place, so that its times line up with the plots'.
        lane.getAxis("left").setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        lane.setYRange(0, 1, padding=0)
        height = _LANE_ROWS * _LANE_ROW_PX + 4
        lane.setMinimumHeight(height)
        lane.setMaximumHeight(height)
        self._freeze(lane)
        font = QFont(self.font())
        font.setPixelSize(_LANE_FONT_PX)
        self._lane_markers = _MarkerLane(font)
        _cache(self._lane_markers)
        lane.addItem(self._lane_markers, ignoreBounds=True)
        return lane

    def _style_plot(self, plot: pg.PlotItem, title: str, *, show_time: bool) -> None:
        left = plot.getAxis("left")
        # One width for every plot, so that their time scales line up.
        left.setWidth(_AXIS_WIDTH)
        left.enableAutoSIPrefix(enable=False)  # mmHg stay mmHg, and no relabelling per range
        left.setLabel(title, color=_TEXT)
        left.setPen(pg.mkPen("#9ca3af"))
        left.setTextPen(pg.mkPen(_TEXT))
        if show_time:
            self.time_axis.setPen(pg.mkPen("#9ca3af"))
            self.time_axis.setTextPen(pg.mkPen(_TEXT))
        else:
            plot.hideAxis("bottom")
        self._freeze(plot)
        # Axes are redrawn only when their ticks or labels change.
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            _cache(axis, axis.label)

    @staticmethod
    def _freeze(plot: pg.PlotItem) -> None:
        """The window buttons choose the range; dragging would be undone by the next second."""
        plot.setMouseEnabled(x=False, y=False)
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.disableAutoRange()

    def _add_normal_ranges(self, plot: pg.PlotItem, spec: _PlotSpec) -> None:
        for parameter in spec.shaded:
            band = self.source.settings.normal_ranges.get(parameter)
            if band is None:
                continue
            colour = pg.mkColor(_COLOURS[parameter])
            colour.setAlpha(26)
            edge = pg.mkColor(_COLOURS[parameter])
            edge.setAlpha(60)
            region = _NormalRange(
                values=(band.low, band.high),
                orientation="horizontal",
                movable=False,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen(edge),
            )
            region.setZValue(-20)
            _cache(region, *region.lines)
            plot.addItem(region, ignoreBounds=True)

    def _add_curves(
        self, plot: pg.PlotItem, parameter: Parameter, spec: _PlotSpec
    ) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        colour = _COLOURS[parameter]
        # Antialiasing is off per curve, not with pg.setConfigOptions, which would change every
        # plot of the process. The line draws each pixel column's highest and lowest value, the
        # whole envelope (pyqtgraph's default is five blocks per column, five times the vertices
        # for nothing a screen can show).
        device = _DayLine(pen=pg.mkPen(colour, width=1), antialias=False)
        manual = _ChartedSet(
            pen=None,
            symbol=_SYMBOLS.get(parameter, "o"),
            symbolSize=13,
            symbolBrush=pg.mkBrush(colour),
            symbolPen=pg.mkPen("#111827", width=1.5),
            antialias=False,
        )
        plot.addItem(device)
        plot.addItem(manual)
        # After addItem, which applies the plot's own (off) settings to each curve. Only the
        # device stream is thinned (by `_DayLine`): charted values are few and every one is drawn.
        device.setClipToView(True)
        device.setDownsampling(auto=True, method="peak")
        manual.setZValue(10)
        # A line changes only when a value leaves its column's range, and mostly only in its
        # newest column (`_DayLine`): it is kept as a picture too.
        _cache(*device.parts, manual.scatter)
        if len(spec.parameters) > 1:  # a plot of one line is named by its axis
            self.legend.addItem(device, translated(LABELS[parameter]))
            sample, label = self.legend.items[-1]
            _cache(sample, label, label.item)
            device.sample = sample
        return device, manual

    # -- what is shown -----------------------------------------------------------------------

    def set_night(self, night: bool) -> None:  # noqa: FBT001 - a switch, named by its caller
        """Dark plot surfaces for night shifts; the curves keep their colours."""
        self.graphics.setBackground(NIGHT_BACKGROUND if night else "w")
        text = NIGHT_TEXT if night else _TEXT
        for plot in self.plots:
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setTextPen(pg.mkPen(text))
                axis.label.setDefaultTextColor(QColor(text))
        self.legend.setLabelTextColor(text)
        for _sample, label in self.legend.items:
            label.setText(label.text)  # a label takes its new colour with its text

    def show_day(
        self,
        bed_id: str,
        day_id: str | None,
        markers: list[Marker],
        *,
        since: datetime | None = None,
    ) -> None:
        """Show the trends of infusion day `day_id` on chair `bed_id`, or of the chair alone
        (from `since`, by default the start of today) when it has no patient's day.

        Returns at once; `loaded` is emitted when the values are shown.
        """
        if day_id is None and since is None:
            since = start_of_local_day(self.clock, self.clock.now())
        selection = Selection(bed_id, day_id, since if day_id is None else None)
        self._loads += 1
        number = self._loads
        self.source.adopt(ChairTrends(self.source.settings))
        self._drawn.clear()
        self._draw_series()
        self.set_markers(markers)
        self.readout.setText(self.tr("Reading the trends…"))
        source, news = self.source, self._news

        def load() -> None:
            try:
                trends = source.load(selection)
            except StoreError as exc:
                deliver(news.failed, number, str(exc))
                return
            deliver(news.loaded, number, trends)

        threading.Thread(target=load, name="trends-load", daemon=True).start()

    def set_markers(self, markers: list[Marker]) -> None:
        """Draw these markers across every plot, labelled in the strip above them."""
        self._markers = sorted(markers, key=lambda m: m.at)
        self._lane_markers.show_markers(self._markers)
        lines = [(marker.at.timestamp(), _marker_pen(marker.kind)) for marker in self._markers]
        for item in self._marker_lines:
            item.set_lines(lines)

    def set_window(self, seconds: float | None) -> None:
        """Show the last `seconds` up to now, or the whole day with None."""
        self._window = seconds
        button = self.window_buttons.get(seconds)
        if button is None:  # a span of its own: no button stands for it
            self._window_group.setExclusive(False)
            for other in self.window_buttons.values():
                other.setChecked(False)
            self._window_group.setExclusive(True)
        elif not button.isChecked():
            button.setChecked(True)
        self._x_range = None
        self._y_ranges.clear()
        self._apply_time_range()  # the lines follow the view
        self._apply_value_ranges()

    @property
    def window_seconds(self) -> float | None:
        """The span shown, in seconds (None: the whole day)."""
        return self._window

    @property
    def markers(self) -> list[Marker]:
        """The markers drawn, in time order."""
        return list(self._markers)

    def marker_labels(self) -> list[str]:
        """The labels shown in the marker strip, in time order."""
        return [marker.label for marker in self._lane_markers.markers]

    def marker_lines(self, plot: pg.PlotItem) -> list[float]:
        """Where the markers cross `plot` (seconds since the epoch)."""
        return [at for at, _ in self._marker_lines[self.plots.index(plot)].lines]

    def curve(self, parameter: Parameter) -> pg.PlotDataItem:
        """The line of the parameter's device stream."""
        return self._curves[parameter][0]

    def charted(self, parameter: Parameter) -> pg.PlotDataItem:
        """The symbols of the parameter's charted (manual) values."""
        return self._curves[parameter][1]

    def plot_of(self, parameter: Parameter) -> pg.PlotItem:
        """The plot that draws `parameter`."""
        for plot, spec in zip(self.plots, _PLOTS, strict=True):
            if parameter in spec.parameters:
                return plot
        raise KeyError(parameter)

    # -- updating ----------------------------------------------------------------------------

    def refresh(self) -> int:
        """Take in what the record gained since the last refresh and repaint; returns the
        number of new rows for this chair."""
        added = self.source.poll()
        self._sync_time_zone()
        # The time range first: a line given new values draws them into the view it is in, and
        # would draw them again for a new range. The value ranges then fit what is drawn.
        moved = self._apply_time_range()
        # Mostly a second's values fall within what is drawn: nothing to fit the ranges to.
        if self._draw_series() or moved or not self._y_ranges:
            self._apply_value_ranges()
        return added

    def on_timer(self) -> None:
        """Refresh once a second; a record that cannot be read is said, and tried again."""
        try:
            self.refresh()
        except StoreError as exc:
            self.readout.setText(
                self.tr("Trends cannot be read now: {reason}").format(reason=message_of(exc))
            )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Refresh while shown only: a hidden view has nobody to show anything to."""
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        """Stop refreshing; the next show catches up with what arrived meanwhile."""
        self.timer.stop()
        super().hideEvent(event)

    def _on_loaded(self, number: int, trends: ChairTrends) -> None:
        if number != self._loads:
            return  # a later show_day replaced this one
        self.source.adopt(trends)
        self._drawn.clear()
        self._x_range = None
        self._y_ranges.clear()
        self.readout.clear()
        self.refresh()
        self.loaded.emit(len(self.source.trends))

    def _on_load_failed(self, number: int, message: str) -> None:
        if number != self._loads:
            return
        self.readout.setText(self.tr("Trends cannot be read: {reason}").format(reason=message))
        self.load_failed.emit(message)

    def _draw_series(self) -> bool:
        """Give every line and set of symbols its values; whether anything drawn changed."""
        changed = False
        trends = self.source.trends
        # Every plot has the same span and width: the lines' columns are the same.
        view = self.plots[0].getViewBox()
        (start, stop), _ = view.viewRange()
        columns = max(1, round(view.width()))
        for parameter, (device, manual) in self._curves.items():
            series = trends[parameter]
            line, charted = series.device, series.manual
            changed |= device.show_points(line, start, stop, columns)
            # Nothing to draw is not drawn: a curve without values still costs a paint.
            device.setVisible(len(line) > 0)
            if self._stale(manual, charted):
                manual.setData(charted.times, charted.values)
                manual.setVisible(len(charted) > 0)
                changed = True
        return changed

    def _stale(self, item: pg.PlotDataItem, points: Points) -> bool:
        """Whether `item` does not show the current revision of `points` yet (and now will)."""
        stamp = (id(points), points.revision)
        if self._drawn.get(id(item)) == stamp:
            return False
        self._drawn[id(item)] = stamp
        return True

    def _apply_time_range(self) -> bool:
        """Move the view to the time shown; whether it moved."""
        start, end = self._time_range()
        if self._x_range == (start, end):
            return False
        self._x_range = (start, end)
        for plot in (self.lane, *self.plots):
            plot.setXRange(start, end, padding=0)
        return True

    def _apply_value_ranges(self) -> None:
        start, end = self._x_range or self._time_range()
        trends = self.source.trends
        for index, (plot, spec) in enumerate(zip(self.plots, _PLOTS, strict=True)):
            spans = [self._curves[p][0].value_range() for p in spec.parameters]
            spans += [_window_range(trends[p].manual, start, end) for p in spec.parameters]
            for parameter in spec.shaded:
                band = self.source.settings.normal_ranges.get(parameter)
                if band is not None:
                    spans.append((band.low, band.high))
            needed = _enclosing(spans)
            shown = self._y_ranges.get(index)
            if needed is None or (shown is not None and _still_fits(shown, needed)):
                continue
            low, high = needed
            pad = (high - low) * _Y_PADDING if high > low else max(1.0, abs(high) * 0.05)
            self._y_ranges[index] = (low - pad, high + pad)
            plot.setYRange(low - pad, high + pad, padding=0)

    def _time_range(self) -> tuple[float, float]:
        """The time shown: the chosen span up to now and a step beyond.

        Like a paper chart the view advances in steps, not every second: moving it redraws
        every axis and re-clips every curve, while a second's new values only extend the lines.
        """
        now = self.clock.now().timestamp()
        if self._window is not None:
            span = self._window
            first = now - span
        else:
            first = self._day_start(now)
            span = now - first
        step = span * _STEP
        shown = self._x_range
        if shown is not None:
            start, end = shown
            # Kept while it still reaches back far enough and the newest value is clear of its
            # right edge; a clock moved back starts it anew.
            if start <= first and end - 2 * step <= now <= end - 0.1 * step:
                return shown
        return first, now + step

    def _day_start(self, now: float) -> float:
        """Where the whole day begins: its first value, first marker or chosen start."""
        trends = self.source.trends
        known = [marker.at.timestamp() for marker in self._markers[:1]]
        first = trends.first_time()
        if first is not None:
            known.append(first)
        selection = trends.selection
        if selection is not None and selection.since is not None:
            known.append(selection.since.timestamp())
        return min([*known, now - HOUR])

    def _sync_time_zone(self) -> None:
        """Label the time axis in the ward's local time (the clock's zone, not the laptop's)."""
        offset = self.clock.local(self.clock.now()).utcoffset()
        seconds_west = -offset.total_seconds() if offset is not None else 0.0
        if self.time_axis.utcOffset != seconds_west:
            self.time_axis.utcOffset = seconds_west
            self.time_axis.setStyle()  # drops the drawn ticks

    # -- hovering ----------------------------------------------------------------------------

    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        self.hover_at(event[0])

    def hover_at(self, scene_pos: QPointF) -> TrendPoint | None:
        """Show the value nearest to `scene_pos` (within a fingertip) in the readout."""
        point = self._point_near(scene_pos)
        if point is None:
            self.readout.clear()
        else:
            self.readout.setText(translated(point.text(self.clock.local)))
        return point

    def _point_near(self, scene_pos: QPointF) -> TrendPoint | None:
        for plot, spec in zip(self.plots, _PLOTS, strict=True):
            view = plot.getViewBox()
            if not view.sceneBoundingRect().contains(scene_pos):
                continue
            at = view.mapSceneToView(scene_pos)
            x_per_px, y_per_px = view.viewPixelSize()
            best: tuple[float, TrendSeries, Points, int] | None = None
            for parameter in spec.parameters:
                series = self.source.trends[parameter]
                for points in (series.manual, series.device):
                    found = _closest(points, at.x(), at.y(), x_per_px, y_per_px)
                    if found is not None and (best is None or found[0] < best[0]):
                        best = (found[0], series, points, found[1])
            if best is None:
                return None
            return best[1].point(best[2], best[3])
        return None


def _marker_pen(kind: MarkerKind) -> QPen:
    """The dashed line of a marker of this kind."""
    return QPen(QColor(_MARKER_COLOURS[kind]), 0, Qt.PenStyle.DashLine)


def _cache(*items: QGraphicsItem) -> None:
    """Keep what seldom changes as a ready picture: a repaint each second then draws the new
    values and only copies the normal ranges, markers and charted symbols."""
    for item in items:
        item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def _closest(
    points: Points, x: float, y: float, x_per_px: float, y_per_px: float
) -> tuple[float, int] | None:
    """The distance in pixels to the point of `points` nearest to (x, y), and its index."""
    if x_per_px <= 0 or y_per_px <= 0:
        return None
    reach = HOVER_RADIUS_PX * x_per_px
    window = points.window(x - reach, x + reach)
    if window.start >= window.stop:
        return None
    dx = (points.times[window] - x) / x_per_px
    dy = (points.values[window] - y) / y_per_px
    distances = np.hypot(dx, dy)
    index = int(np.argmin(distances))
    distance = float(distances[index])
    if distance > HOVER_RADIUS_PX:
        return None
    return distance, window.start + index


def _window_range(points: Points, start: float, end: float) -> tuple[float, float] | None:
    """The lowest and highest of `points` measured from `start` to `end`, if any."""
    values = points.values[points.window(start, end)]
    return (float(values.min()), float(values.max())) if len(values) else None


def _enclosing(spans: list[tuple[float, float] | None]) -> tuple[float, float] | None:
    """The range a plot must show to hold every one of `spans` (the values drawn in the window
    and the normal bands)."""
    given = [span for span in spans if span is not None]
    if not given:
        return None
    return min(low for low, _ in given), max(high for _, high in given)


def _still_fits(shown: tuple[float, float], needed: tuple[float, float]) -> bool:
    """Whether the value range shown holds what is needed without much room to spare.

    The range changes only when a value falls outside it or it has grown far too wide (a peak
    left the window), so that the axis does not twitch with every new value.
    """
    low, high = needed
    inside = shown[0] <= low and high <= shown[1]
    spare = (shown[1] - shown[0]) - (high - low)
    return inside and spare <= max(_Y_SLACK * (high - low), 2.0)
