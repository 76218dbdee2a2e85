"""The live trends, driven through the real widget on a real record: values and charted sets on
the plots, the day's markers, the window buttons, incremental refreshes and the hover readout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPointF, Qt
from pytestqt.qtbot import QtBot

from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.infusion_day import EventKind
from alemmonitor.patients import PatientDraft
from alemmonitor.store import Store, new_id
from alemmonitor.trends import Marker, TrendSource, day_markers
from alemmonitor.ward import Admission, Bed, Ward
from devices.readings import CANONICAL_UNIT, Parameter
from ui.trends import HOUR, TrendsWidget, place_labels

NURSE = "AB"


@dataclass(frozen=True)
class Chair:
    """A patient's day on chair 1 of a real record, chair 2 free, and the ward's clock."""

    ward: Ward
    store: Store
    clock: ManualClock
    admission: Admission
    bed: Bed
    other_bed: Bed


@pytest.fixture
def chair(ward: Ward, store: Store, clock: ManualClock) -> Chair:
    beds = ward.ensure_beds(6, NURSE)
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    admission = ward.admit(
        patient, course_number=1, day_number=4, bed=beds[0], planned_start=clock.now(), by=NURSE
    )
    return Chair(ward, store, clock, admission, beds[0], beds[1])


@pytest.fixture
def source(store: Store) -> TrendSource:
    return TrendSource(store)


@pytest.fixture
def widget(qtbot: QtBot, source: TrendSource, clock: ManualClock) -> TrendsWidget:
    trends = TrendsWidget(source, clock)
    qtbot.addWidget(trends)
    trends.resize(1200, 800)
    with qtbot.waitExposed(trends):
        trends.show()
    return trends


def stream(
    chair: Chair,
    start: datetime,
    values: dict[Parameter, list[float]],
    *,
    on_day: bool = True,
) -> int:
    """Store a monitor's 1 Hz values as the recorder does, on the patient's chair (or, with
    `on_day` false, on the free one); returns the number of rows."""
    rows = []
    for parameter, series in values.items():
        for second, value in enumerate(series):
            at = to_iso(start + timedelta(seconds=second))
            rows.append(
                {
                    "id": new_id(),
                    "day_id": chair.admission.id if on_day else None,
                    "bed_id": chair.bed.id if on_day else chair.other_bed.id,
                    "parameter": parameter.value,
                    "value": value,
                    "unit": CANONICAL_UNIT[parameter],
                    "measured_at": at,
                    "received_at": at,
                    "source": "masimo",
                }
            )
    chair.store.add_records("observations", rows, "monitor:masimo")
    return len(rows)


def show(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair, markers: list[Marker] | None = None
) -> None:
    with qtbot.waitSignal(widget.loaded, timeout=10_000):
        widget.show_day(chair.bed.id, chair.admission.id, markers or [])


def data(item: pg.PlotDataItem) -> tuple[list[float], list[float]]:
    """What the item was given (not the thinned points it draws)."""
    x, y = item.getOriginalDataset()
    return ([], []) if x is None else (x.tolist(), y.tolist())


def test_values_in_the_record_appear_and_new_ones_follow_on_refresh(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    start = chair.clock.now()
    stream(chair, start, {Parameter.HR: [70, 71, 72], Parameter.SPO2: [97]})
    show(qtbot, widget, chair)

    t0 = start.timestamp()
    assert data(widget.curve(Parameter.HR)) == ([t0, t0 + 1, t0 + 2], [70, 71, 72])
    assert data(widget.curve(Parameter.SPO2)) == ([t0], [97])

    stream(chair, start + timedelta(seconds=3), {Parameter.HR: [90]})
    assert widget.refresh() == 1
    assert data(widget.curve(Parameter.HR))[1] == [70, 71, 72, 90]


def test_a_refresh_reads_only_the_rows_added_since_the_last_one(
    qtbot: QtBot, widget: TrendsWidget, source: TrendSource, chair: Chair
) -> None:
    start = chair.clock.now()
    stored = stream(chair, start, {Parameter.HR: [70.0] * 600})
    show(qtbot, widget, chair)
    assert source.rows_read == stored

    assert widget.refresh() == 0
    assert source.rows_read == stored

    later = start + timedelta(minutes=10)
    stream(chair, later, {Parameter.HR: [75, 76], Parameter.RR: [14, 15]})
    stream(chair, later, {Parameter.HR: [60.0] * 50}, on_day=False)  # the other chair's monitor
    assert widget.refresh() == 4
    assert source.rows_read == stored + 4
    assert len(data(widget.curve(Parameter.HR))[0]) == 602
    assert data(widget.curve(Parameter.RR))[1] == [14, 15]


def test_charted_values_are_large_symbols_apart_from_the_monitors_line(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    stream(chair, chair.clock.now(), {Parameter.HR: [70, 71]})
    chair.clock.advance(timedelta(minutes=5))
    chair.ward.record_vitals(
        chair.admission, {"hr": 88, "sbp": 131, "dbp": 79, "temp": 37.2}, by=NURSE
    )
    show(qtbot, widget, chair)

    charted_at = chair.clock.now().timestamp()
    assert data(widget.charted(Parameter.HR)) == ([charted_at], [88])
    assert data(widget.curve(Parameter.HR))[1] == [70, 71]
    assert data(widget.charted(Parameter.SBP)) == ([charted_at], [131])
    assert data(widget.charted(Parameter.TEMP)) == ([charted_at], [37.2])

    for parameter in (Parameter.HR, Parameter.SBP, Parameter.DBP):
        charted, line = widget.charted(parameter), widget.curve(parameter)
        assert charted.opts["pen"] is None
        assert charted.opts["symbol"] is not None
        assert charted.opts["symbolSize"] >= 12
        assert line.opts["symbol"] is None
    systolic, diastolic = widget.charted(Parameter.SBP), widget.charted(Parameter.DBP)
    assert systolic.opts["symbol"] != diastolic.opts["symbol"]


def test_the_days_events_are_labelled_markers_across_every_plot(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    ward, admission, clock = chair.ward, chair.admission, chair.clock
    ward.record(admission, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="paracetamol")
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.INFUSION_STARTED, by=NURSE, batch="L1", checked_by="CD")
    started = clock.now()
    clock.advance(timedelta(minutes=40))
    ward.record(admission, EventKind.INFUSION_PAUSED, by=NURSE)
    show(qtbot, widget, chair, day_markers(ward, admission))

    assert widget.marker_labels() == ["Paracetamol", "Alemtuzumab start", "Paused"]
    for plot in widget.plots:
        assert widget.marker_lines(plot)[1] == started.timestamp()

    clock.advance(timedelta(minutes=10))
    ward.record(admission, EventKind.INFUSION_RESUMED, by=NURSE)
    widget.set_markers(day_markers(ward, admission))
    assert widget.marker_labels() == ["Paracetamol", "Alemtuzumab start", "Paused", "Resumed"]
    assert all(len(widget.marker_lines(plot)) == 4 for plot in widget.plots)


def test_the_window_buttons_choose_the_time_shown(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    start = chair.clock.now()
    stream(chair, start, {Parameter.HR: [70]})
    chair.clock.advance(timedelta(hours=6))
    show(qtbot, widget, chair)
    now = chair.clock.now().timestamp()

    for button in widget.window_buttons.values():
        assert button.isCheckable()
        assert button.minimumHeight() >= 44

    qtbot.mouseClick(widget.window_buttons[HOUR], Qt.MouseButton.LeftButton)
    (left, right), _ = widget.plots[0].viewRange()
    assert left == pytest.approx(now - HOUR)
    assert now < right <= now + 0.05 * HOUR
    assert widget.window_buttons[HOUR].isChecked()

    qtbot.mouseClick(widget.window_buttons[4 * HOUR], Qt.MouseButton.LeftButton)
    assert widget.plots[-1].viewRange()[0][0] == pytest.approx(now - 4 * HOUR)
    assert not widget.window_buttons[HOUR].isChecked()

    qtbot.mouseClick(widget.window_buttons[None], Qt.MouseButton.LeftButton)
    assert widget.plots[2].viewRange()[0][0] == pytest.approx(start.timestamp())
    assert widget.window_seconds is None


def test_the_view_follows_the_newest_value_in_steps(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    stream(chair, chair.clock.now(), {Parameter.HR: [70.0] * 60})
    chair.clock.advance(timedelta(minutes=1))
    show(qtbot, widget, chair)
    widget.set_window(HOUR)
    before = widget.plots[0].viewRange()[0]

    for _ in range(60):  # a minute of values, one a second
        stream(chair, chair.clock.now(), {Parameter.HR: [72]})
        chair.clock.advance(timedelta(seconds=1))
        widget.refresh()
    assert widget.plots[0].viewRange()[0] == before  # no redraw of every axis each second

    for _ in range(3):  # then the newest value nears the right edge
        stream(chair, chair.clock.now(), {Parameter.HR: [74]})
        chair.clock.advance(timedelta(minutes=1))
        widget.refresh()
    left, right = widget.plots[0].viewRange()[0]
    newest = data(widget.curve(Parameter.HR))[0][-1]
    assert left > before[0]
    assert left < newest < right
    assert right - newest > 0.02 * HOUR


def test_hovering_a_value_shows_its_value_time_and_source(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    start = chair.clock.now()  # 08:00 in Dresden
    stream(chair, start, {Parameter.HR: [70 + s % 5 for s in range(900)]})
    chair.clock.advance(timedelta(minutes=15))
    chair.ward.record_vitals(chair.admission, {"sbp": 128, "dbp": 80}, by=NURSE)
    show(qtbot, widget, chair)
    widget.set_window(HOUR)

    def scene_pos(parameter: Parameter, at: datetime, value: float) -> QPointF:
        view = widget.plot_of(parameter).getViewBox()
        return view.mapViewToScene(QPointF(at.timestamp(), value))

    point = widget.hover_at(scene_pos(Parameter.SBP, chair.clock.now(), 128))
    assert point is not None
    assert widget.readout.text() == "Systolic BP 128 mmHg · 08:15:00 · charted (manual)"

    ten_past = start + timedelta(minutes=10, seconds=2)  # 70 + 602 % 5
    widget.hover_at(scene_pos(Parameter.HR, ten_past, 72))
    assert widget.readout.text() == "Heart rate 72 /min · 08:10:02 · monitor (masimo)"

    far_from_any = scene_pos(Parameter.HR, ten_past, 60)
    assert widget.hover_at(far_from_any) is None
    assert widget.readout.text() == ""


def test_normal_ranges_are_shaded_and_cannot_be_dragged(
    widget: TrendsWidget, source: TrendSource
) -> None:
    def regions(parameter: Parameter) -> list[tuple[float, float]]:
        items = widget.plot_of(parameter).items
        found = [item for item in items if isinstance(item, pg.LinearRegionItem)]
        assert all(not item.movable for item in found)
        return sorted(tuple(item.getRegion()) for item in found)

    ranges = source.settings.normal_ranges
    assert regions(Parameter.HR) == [(ranges[Parameter.HR].low, ranges[Parameter.HR].high)]
    assert regions(Parameter.SBP) == [(60, 90), (100, 140)]
    assert regions(Parameter.SPO2) == [(96, 100)]
    assert regions(Parameter.TEMP) == [(36.1, 38.0)]


def test_a_long_stream_is_thinned_to_the_screen_without_losing_its_peak(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    values = [72.0] * 7200
    values[4321] = 181.0  # one beat-to-beat spike in two hours
    stream(chair, chair.clock.now(), {Parameter.HR: values})
    chair.clock.advance(timedelta(hours=2))
    widget.resize(500, 600)
    show(qtbot, widget, chair)
    widget.set_window(None)

    line = widget.curve(Parameter.HR)
    assert line.opts["clipToView"]
    assert line.opts["autoDownsample"]
    assert line.opts["downsampleMethod"] == "peak"
    _, drawn = line.getData()
    assert len(drawn) < len(values)
    assert np.max(drawn) == 181.0
    assert widget.plots[0].viewRange()[1][1] > 181.0


def test_a_spike_arriving_as_the_newest_value_is_drawn_at_once(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    stream(chair, chair.clock.now(), {Parameter.HR: [72.0] * 3600})
    chair.clock.advance(timedelta(hours=1))
    widget.resize(500, 600)
    show(qtbot, widget, chair)
    widget.set_window(None)
    line = widget.curve(Parameter.HR)
    assert np.max(line.getData()[1]) == 72.0

    # One pixel column holds several seconds: the spike is drawn before its column is full.
    stream(chair, chair.clock.now(), {Parameter.HR: [181.0]})
    chair.clock.advance(timedelta(seconds=1))
    assert widget.refresh() == 1
    _, drawn = line.getData()
    assert len(drawn) < 3601
    assert np.max(drawn) == 181.0
    assert widget.plots[0].viewRange()[1][1] > 181.0


def test_each_stream_is_drawn_in_its_own_colour_and_only_in_its_plot(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    stream(
        chair,
        chair.clock.now(),
        {Parameter.HR: [70 + s % 9 for s in range(1200)], Parameter.SPO2: [97.0] * 1200},
    )
    chair.clock.advance(timedelta(minutes=20))
    show(qtbot, widget, chair)
    image = widget.graphics.grab().toImage()

    def drawn_in(parameter: Parameter, colour: str) -> int:
        """Pixels of exactly `colour` (lines are not antialiased) in the parameter's plot."""
        box = widget.plot_of(parameter).getViewBox().sceneBoundingRect().toRect()
        return sum(
            image.pixelColor(x, y).name() == colour
            for x in range(box.left(), box.right(), 2)
            for y in range(box.top(), box.bottom())
        )

    assert drawn_in(Parameter.HR, "#15803d") > 20
    assert drawn_in(Parameter.SPO2, "#0369a1") > 20
    assert drawn_in(Parameter.SPO2, "#15803d") == 0


def test_the_legend_says_which_streams_are_drawn_as_they_start(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    start = chair.clock.now()
    stream(chair, start, {Parameter.HR: [72.0] * 60})
    chair.clock.advance(timedelta(minutes=1))
    show(qtbot, widget, chair)
    legend = widget.legend

    def in_legend(colour: str) -> int:
        image = widget.graphics.grab().toImage()
        box = legend.sceneBoundingRect().toRect()
        return sum(
            image.pixelColor(x, y).name() == colour
            for x in range(box.left(), box.right())
            for y in range(box.top(), box.bottom())
        )

    assert in_legend("#15803d") > 0  # heart rate: drawn
    assert in_legend("#0f766e") == 0  # pulse rate: no values, shown as not drawn

    stream(chair, chair.clock.now(), {Parameter.PR: [71.0, 72.0]})
    chair.clock.advance(timedelta(seconds=2))
    widget.refresh()
    assert in_legend("#0f766e") > 0


def test_a_line_drawn_in_parts_draws_every_vertex_as_values_arrive(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    start = chair.clock.now()
    stream(chair, start, {Parameter.HR: [70 + s % 23 for s in range(3000)]})
    chair.clock.advance(timedelta(seconds=3000))
    show(qtbot, widget, chair)
    widget.set_window(HOUR)  # a column every few seconds: parts move along
    line = widget.curve(Parameter.HR)
    for second in range(3000, 3400):
        stream(chair, start + timedelta(seconds=second), {Parameter.HR: [60 + second % 41]})
        chair.clock.advance(timedelta(seconds=1))
        widget.refresh()
        x, y = line.getData()
        drawn = [part.getData() for part in line.parts]
        # Each part starts on the vertex the one before ends on: together they are the line.
        joined_x = np.concatenate([drawn[0][0], *(part[0][1:] for part in drawn[1:])])
        joined_y = np.concatenate([drawn[0][1], *(part[1][1:] for part in drawn[1:])])
        assert np.array_equal(joined_x, x)
        assert np.array_equal(joined_y, y)


def test_the_timer_refreshes_only_while_the_trends_are_shown(widget: TrendsWidget) -> None:
    assert widget.timer.isActive()
    assert widget.timer.interval() == 1000
    widget.hide()
    assert not widget.timer.isActive()


def test_a_record_that_cannot_be_read_is_said(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    chair.store.close()
    with qtbot.waitSignal(widget.load_failed, timeout=10_000):
        widget.show_day(chair.bed.id, chair.admission.id, [])
    assert widget.readout.text().startswith("Trends cannot be read:")


def test_the_legend_sits_under_the_plots_and_covers_no_value(
    qtbot: QtBot, widget: TrendsWidget, chair: Chair
) -> None:
    stream(chair, chair.clock.now(), {Parameter.HR: [72.0] * 60, Parameter.SBP: [120.0] * 60})
    chair.clock.advance(timedelta(minutes=1))
    show(qtbot, widget, chair)

    legend = widget.legend.sceneBoundingRect()
    names = [label.text for _sample, label in widget.legend.items]
    assert names == ["Heart rate", "Pulse rate", "Systolic BP", "Diastolic BP", "Mean BP"]
    for plot in widget.plots:
        assert not legend.intersects(plot.getViewBox().sceneBoundingRect())
    time_axis = widget.time_axis.sceneBoundingRect()
    assert legend.top() >= time_axis.bottom() - 1


@pytest.mark.parametrize(
    ("at", "left"),
    [
        (300.0, 300.0),  # at its marker
        (950.0, 900.0),  # would run past the right edge: ends there
        (-400.0, 0.0),  # a marker before the window: named at the left edge
    ],
)
def test_each_marker_label_is_shown_whole(at: float, left: float) -> None:
    [(placed, row)] = place_labels([at], [100.0], 0.0, 1000.0)
    assert (placed, row) == (left, 0)


def test_marker_labels_close_in_time_go_to_rows_of_their_own() -> None:
    places = place_labels([100.0, 120.0, 140.0, 400.0], [80.0] * 4, 0.0, 1000.0)
    assert places == [(100.0, 0), (120.0, 1), (140.0, 2), (400.0, 0)]
