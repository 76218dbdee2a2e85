"""Trends from the record: a day read once then only what is new, corrections followed, the day's
markers, and the normal ranges file refused with file:line when wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.infusion_day import DayEvent, EventKind
from alemmonitor.patients import PatientDraft
from alemmonitor.store import Store, new_id
from alemmonitor.trends import (
    MANUAL_SOURCE,
    Envelope,
    Marker,
    MarkerKind,
    NormalRange,
    Points,
    ReactionOnset,
    TrendPoint,
    TrendsFileError,
    TrendSource,
    day_markers,
    load_trend_settings,
    markers_for_day,
    parse_trend_settings,
    start_of_local_day,
)
from alemmonitor.ward import Admission, Bed, Ward
from devices.readings import Parameter

NURSE = "AB"
BERLIN = ZoneInfo("Europe/Berlin")


def reading(
    bed: Bed,
    at: datetime,
    parameter: str,
    value: float,
    *,
    day: Admission | None = None,
    unit: str | None = None,
    source: str = "masimo",
) -> dict[str, object]:
    units = {"hr": "/min", "sbp": "mmHg", "dbp": "mmHg", "temp": "Cel", "spo2": "%", "rr": "/min"}
    return {
        "id": new_id(),
        "day_id": day.id if day is not None else None,
        "bed_id": bed.id,
        "parameter": parameter,
        "value": value,
        "unit": unit or units[parameter],
        "measured_at": to_iso(at),
        "received_at": to_iso(at),
        "source": source,
    }


def seconds(moment: datetime) -> float:
    return moment.timestamp()


@pytest.fixture
def beds(ward: Ward) -> list[Bed]:
    return ward.ensure_beds(6, NURSE)


@pytest.fixture
def admission(ward: Ward, beds: list[Bed], clock: ManualClock) -> Admission:
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    return ward.admit(
        patient, course_number=1, day_number=1, bed=beds[0], planned_start=clock.now(), by=NURSE
    )


# -- the shipped settings and bad files ----------------------------------------------------------


def test_the_shipped_ranges_are_news2_zero_bands_and_ward_blood_pressure() -> None:
    settings = load_trend_settings()
    ranges = settings.normal_ranges
    assert ranges[Parameter.HR] == NormalRange(51, 90)
    assert ranges[Parameter.RR] == NormalRange(12, 20)
    assert ranges[Parameter.SPO2] == NormalRange(96, 100)
    assert ranges[Parameter.TEMP] == NormalRange(36.1, 38.0)
    assert ranges[Parameter.SBP] == NormalRange(100, 140)
    assert ranges[Parameter.DBP] == NormalRange(60, 90)
    assert Parameter.MAP not in ranges
    assert set(settings.line_gaps_s) == set(Parameter)
    assert settings.line_gaps_s[Parameter.SBP] > settings.line_gaps_s[Parameter.HR]


GOOD = """\
schema: 1
parameters:
  hr: {unit: /min, low: 51, high: 90, line_gap_s: 60}
  pr: {unit: /min, low: 51, high: 90, line_gap_s: 60}
  sbp: {unit: mmHg, low: 100, high: 140, line_gap_s: 5400}
  dbp: {unit: mmHg, low: 60, high: 90, line_gap_s: 5400}
  map: {unit: mmHg, line_gap_s: 5400}
  temp: {unit: Cel, low: 36.1, high: 38.0, line_gap_s: 600}
  spo2: {unit: "%", low: 96, high: 100, line_gap_s: 60}
  rr: {unit: /min, low: 12, high: 20, line_gap_s: 60}
"""


def test_a_site_file_is_read() -> None:
    text = GOOD.replace("low: 100, high: 140", "low: 95, high: 150")
    settings = parse_trend_settings(text, "site.yaml")
    assert settings.normal_ranges[Parameter.SBP] == NormalRange(95, 150)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("hr: {unit: /min,", "hr: {unit: bpm,"), "site.yaml:3: parameters.hr.unit: 'bpm' is not"),
        (("low: 12, high: 20", "low: 20, high: 12"), "site.yaml:10: parameters.rr.low: low 20"),
        (("low: 60, high: 90,", "low: 60,"), "site.yaml:6: parameters.dbp.high: a normal range"),
        (("high: 100, line", "high: 101, line"), "site.yaml:9: parameters.spo2.high: 101 % is"),
        (("  rr:", "  resp:"), "site.yaml:10: parameters.resp: Input should be"),
        (("line_gap_s: 600}", "line_gap_s: 0}"), "site.yaml:8: parameters.temp.line_gap_s: Input"),
        (
            ("  map: {unit: mmHg, line_gap_s: 5400}\n", ""),
            "site.yaml:3: parameters: map is missing",
        ),
        (("schema: 1", "schema: 2"), "site.yaml:1: schema: Input should be 1"),
        (("  pr:", "  hr:"), "site.yaml:4: parameters.hr: given twice"),
        (("parameters:", "parameters: ["), "site.yaml:4: not valid YAML"),
    ],
)
def test_a_wrong_file_is_refused_with_its_line_and_field(
    change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in GOOD
    with pytest.raises(TrendsFileError) as caught:
        parse_trend_settings(GOOD.replace(old, new, 1), "site.yaml")
    assert any(problem.startswith(expected) for problem in caught.value.problems), (
        caught.value.problems
    )


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TrendsFileError, match=r"trends\.yaml: cannot be read"):
        load_trend_settings(tmp_path / "trends.yaml")


# -- points --------------------------------------------------------------------------------------


def add(points: Points, times: list[float], values: list[float] | None = None) -> None:
    values = values if values is not None else [float(t) for t in times]
    points.extend(
        np.array(times, dtype=np.float64),
        np.array(values, dtype=np.float64),
        np.zeros(len(times), dtype=np.int16),
    )


def test_points_grow_past_their_first_buffer_in_time_order() -> None:
    points = Points(line_gap_s=60)
    for start in range(0, 1000, 100):
        add(points, [float(t) for t in range(start, start + 100)])
    assert len(points) == 1000
    assert np.array_equal(points.times, np.arange(1000, dtype=np.float64))
    assert points.joined[:-1].all()
    assert not points.joined[-1]


def test_a_value_dated_before_the_ones_held_is_merged_into_time_order() -> None:
    points = Points(line_gap_s=60)
    add(points, [0, 10, 20, 30])
    add(points, [15, 5])
    assert points.times.tolist() == [0, 5, 10, 15, 20, 30]


def test_the_line_breaks_where_no_value_came_for_longer_than_the_gap() -> None:
    points = Points(line_gap_s=60)
    add(points, [0, 30, 60, 200, 230])
    assert points.joined.tolist() == [True, True, False, True, False]


def test_a_removed_point_leaves_the_others_joined_right() -> None:
    points = Points(line_gap_s=60)
    add(points, [0, 50, 100])
    points.remove(1)
    assert points.times.tolist() == [0, 100]
    assert points.joined.tolist() == [False, False]


# -- thinned to the screen -----------------------------------------------------------------------


def drawn_by_hand(
    points: Points, start: float, stop: float, columns: int
) -> tuple[list[float], list[float], list[bool]]:
    """What an envelope must draw, column by column: the last value before the span, then each
    column's highest and lowest value at its middle; the line breaks after a column where the
    stream breaks in it or after it, and after the newest column."""
    width = (stop - start) / columns
    times, values, joined = points.times, points.values, points.joined
    x: list[float] = []
    y: list[float] = []
    connect: list[bool] = []
    for column in range(columns):
        inside = np.flatnonzero(
            (times >= start + column * width) & (times < start + (column + 1) * width)
        )
        if len(inside):
            x += [start + (column + 0.5) * width] * 2
            y += [float(values[inside].max()), float(values[inside].min())]
            connect += [True, bool(joined[inside].all())]
    if connect:
        connect[-1] = False
    before = np.flatnonzero(times < start)
    if len(before) and x:
        x.insert(0, float(times[before[-1]]))
        y.insert(0, float(values[before[-1]]))
        connect.insert(0, bool(joined[before[-1]]))
    return x, y, connect


def drawn(envelope: Envelope) -> tuple[list[float], list[float], list[bool]]:
    return envelope.x.tolist(), envelope.y.tolist(), envelope.connect.tolist()


@settings(max_examples=150, deadline=None)
@given(
    steps=st.lists(st.sampled_from([1.0, 1.0, 1.0, 2.0, 7.0, 95.0]), min_size=20, max_size=400),
    values=st.lists(st.floats(30, 200), min_size=400, max_size=400),
    batches=st.lists(st.integers(1, 40), min_size=2, max_size=60),
    columns=st.integers(1, 90),
    lead=st.floats(0, 300),
)
def test_thinned_to_columns_each_columns_highest_and_lowest_are_drawn_however_values_arrive(
    steps: list[float], values: list[float], batches: list[int], columns: int, lead: float
) -> None:
    times = np.cumsum(steps)
    start, stop = float(lead), float(times[-1]) + 30
    points = Points(line_gap_s=60)
    envelope = Envelope()
    taken = 0
    for batch in [*batches, len(times)]:
        upto = min(taken + batch, len(times))
        add(points, times[taken:upto].tolist(), values[taken:upto])
        taken = upto
        before = drawn(envelope)
        if envelope.update(points, start, stop, columns):
            # What comes before the first vertex changed is drawn as it was.
            kept = envelope.changed_from
            assert [part[:kept] for part in drawn(envelope)] == [part[:kept] for part in before]
        else:
            assert drawn(envelope) == before
        assert drawn(envelope) == drawn_by_hand(points, start, stop, columns)
        if taken == len(times):
            break
    inside = points.values[points.window(start, stop)]
    if len(inside):
        assert envelope.value_range == (inside.min(), inside.max())


def test_a_single_spike_among_thousands_is_drawn_and_a_value_inside_a_column_redraws_nothing() -> (
    None
):
    points = Points(line_gap_s=60)
    values = [72.0] * 7200
    values[4321] = 181.0
    add(points, [float(t) for t in range(7200)], values)
    envelope = Envelope()
    assert envelope.update(points, 0.0, 7560.0, 500)
    assert max(envelope.y) == 181.0
    assert len(envelope.x) <= 2 * 500

    add(points, [7200.0], [72.0])  # one more second, within the newest column's values
    assert not envelope.update(points, 0.0, 7560.0, 500)
    add(points, [7201.0], [190.0])  # the newest value, its column not full yet: drawn at once
    assert envelope.update(points, 0.0, 7560.0, 500)
    assert envelope.y[-2] == 190.0
    assert envelope.value_range == (72.0, 190.0)


def test_values_rewritten_or_another_span_are_thinned_anew() -> None:
    points = Points(line_gap_s=60)
    add(points, [float(t) for t in range(0, 600, 5)], [float(t % 97) for t in range(0, 600, 5)])
    envelope = Envelope()
    envelope.update(points, 0.0, 700.0, 40)
    points.remove(10)
    add(points, [2.5], [250.0])  # charted late, dated before the values held
    assert envelope.update(points, 0.0, 700.0, 40)
    assert drawn(envelope) == drawn_by_hand(points, 0.0, 700.0, 40)
    assert envelope.update(points, 100.0, 650.0, 23)
    assert drawn(envelope) == drawn_by_hand(points, 100.0, 650.0, 23)


# -- reading the record --------------------------------------------------------------------------


def test_a_day_is_read_with_device_and_charted_values_apart(
    ward: Ward, store: Store, admission: Admission, beds: list[Bed], clock: ManualClock
) -> None:
    start = clock.now()
    store.add_records(
        "observations",
        [
            reading(beds[0], start + timedelta(seconds=s), "hr", 70 + s, day=admission)
            for s in (0, 1, 2)
        ]
        + [reading(beds[1], start, "hr", 99)],  # another chair
        "monitor:masimo",
    )
    clock.advance(timedelta(minutes=1))
    ward.record_vitals(admission, {"hr": 80, "sbp": 125, "dbp": 80}, by=NURSE)

    source = TrendSource(store)
    trends = source.open(beds[0].id, admission.id)

    hr = trends[Parameter.HR]
    assert hr.device.values.tolist() == [70, 71, 72]
    assert hr.device.times.tolist() == [seconds(start) + s for s in (0, 1, 2)]
    assert hr.manual.values.tolist() == [80]
    assert hr.manual.times.tolist() == [seconds(clock.now())]
    assert trends[Parameter.SBP].manual.values.tolist() == [125]
    assert len(trends[Parameter.SBP].device) == 0
    assert source.rows_read == 6
    point = hr.point(hr.manual, 0)
    assert point == TrendPoint(Parameter.HR, clock.now(), 80.0, MANUAL_SOURCE)
    assert point.manual


def test_a_poll_reads_only_the_rows_added_since_and_only_this_days(
    store: Store, admission: Admission, beds: list[Bed], clock: ManualClock
) -> None:
    start = clock.now()
    day_rows = [
        reading(beds[0], start + timedelta(seconds=s), "hr", 70, day=admission) for s in range(100)
    ]
    store.add_records("observations", day_rows, "monitor:masimo")
    source = TrendSource(store)
    source.open(beds[0].id, admission.id)
    assert source.rows_read == 100
    assert source.poll() == 0
    assert source.rows_read == 100

    later = start + timedelta(seconds=100)
    store.add_records(
        "observations",
        [reading(beds[0], later, "hr", 75, day=admission)]
        + [reading(beds[1], later, "hr", 90) for _ in range(20)],
        "monitor:masimo",
    )
    assert source.poll() == 1
    assert source.rows_read == 101
    hr = source.trends[Parameter.HR].device
    assert len(hr) == 101
    assert hr.values[-1] == 75


def test_a_poll_searches_the_new_rowids_only(store: Store) -> None:
    plan = store.query(
        "EXPLAIN QUERY PLAN SELECT o.rowid FROM observations AS o "
        "WHERE o.rowid > 1 AND o.rowid <= 5 AND (+o.day_id = 'x' OR +o.supersedes IS NOT NULL)"
    )
    assert [row["detail"] for row in plan] == [
        "SEARCH o USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"
    ]


def test_a_free_chair_is_read_by_bed_from_a_moment(
    store: Store, beds: list[Bed], clock: ManualClock
) -> None:
    start = clock.now()
    store.add_records(
        "observations",
        [
            reading(beds[2], start - timedelta(hours=1), "spo2", 95),
            reading(beds[2], start, "spo2", 97),
            reading(beds[3], start, "spo2", 99),
        ],
        "monitor:masimo",
    )
    source = TrendSource(store)
    trends = source.open(beds[2].id, None, since=start - timedelta(minutes=5))
    assert trends[Parameter.SPO2].device.values.tolist() == [97]

    store.add_records(
        "observations",
        [
            reading(beds[2], start + timedelta(seconds=1), "spo2", 96),
            reading(beds[2], start - timedelta(hours=2), "spo2", 90),  # before the moment
        ],
        "monitor:masimo",
    )
    assert source.poll() == 1
    assert trends[Parameter.SPO2].device.values.tolist() == [97, 96]


def test_a_corrected_value_replaces_the_one_shown_and_a_struck_out_one_goes(
    ward: Ward, store: Store, admission: Admission, beds: list[Bed], clock: ManualClock
) -> None:
    ward.record_vitals(admission, {"hr": 80, "sbp": 210, "dbp": 80}, by=NURSE)
    source = TrendSource(store)
    trends = source.open(beds[0].id, admission.id)
    assert trends[Parameter.SBP].manual.values.tolist() == [210]

    sbp = store.current("observations", "parameter = 'sbp'")[0]
    store.correct("observations", sbp["id"], {"value": 120.0}, NURSE, "typed 210 for 120")
    assert source.poll() == 1
    assert trends[Parameter.SBP].manual.values.tolist() == [120]

    hr = store.current("observations", "parameter = 'hr'")[0]
    store.void("observations", hr["id"], NURSE, "wrong patient")
    assert source.poll() == 1
    assert len(trends[Parameter.HR]) == 0

    # A correction on another chair's day changes nothing here.
    other = ward.register_patient(PatientDraft("4712", "Ben Weber", date(1979, 1, 2)), NURSE)
    elsewhere = ward.admit(
        other, course_number=1, day_number=1, bed=beds[1], planned_start=clock.now(), by=NURSE
    )
    ward.record_vitals(elsewhere, {"hr": 66}, by=NURSE)
    assert source.poll() == 0
    theirs = store.current("observations", "day_id = ?", (elsewhere.id,))[0]
    store.correct("observations", theirs["id"], {"value": 67.0}, NURSE, "misread")
    assert source.poll() == 0
    assert trends[Parameter.SBP].manual.values.tolist() == [120]


def test_values_in_another_unit_are_not_drawn_on_the_wrong_scale(
    store: Store, admission: Admission, beds: list[Bed], clock: ManualClock
) -> None:
    store.add_records(
        "observations",
        [
            reading(beds[0], clock.now(), "temp", 98.6, unit="[degF]", day=admission),
            reading(beds[0], clock.now(), "temp", 37.0, day=admission),
        ],
        "monitor:hl7",
    )
    trends = TrendSource(store).open(beds[0].id, admission.id)
    assert trends[Parameter.TEMP].device.values.tolist() == [37.0]


def test_the_value_range_covers_a_window(
    store: Store, admission: Admission, beds: list[Bed], clock: ManualClock
) -> None:
    start = clock.now()
    store.add_records(
        "observations",
        [
            reading(beds[0], start + timedelta(minutes=m), "hr", value, day=admission)
            for m, value in ((0, 50), (10, 120), (20, 70))
        ],
        "monitor:masimo",
    )
    hr = TrendSource(store).open(beds[0].id, admission.id)[Parameter.HR]
    t0 = seconds(start)
    assert hr.value_range(t0, t0 + 1200) == (50, 120)
    assert hr.value_range(t0 + 1200, t0 + 3600) == (70, 70)
    assert hr.value_range(t0 + 3600, t0 + 7200) is None


def test_a_hovered_value_reads_in_local_time_with_its_source() -> None:
    at = datetime(2026, 11, 23, 9, 15, 3, tzinfo=UTC)
    local = ManualClock(at, BERLIN).local
    device = TrendPoint(Parameter.TEMP, at, 37.84, "masimo")
    charted = TrendPoint(Parameter.SBP, at, 128.0, MANUAL_SOURCE)
    assert device.text(local) == "Temperature 37.8 °C · 10:15:03 · monitor (masimo)"
    assert charted.text(local) == "Systolic BP 128 mmHg · 10:15:03 · charted (manual)"


def test_a_free_chair_starts_at_local_midnight(clock: ManualClock) -> None:
    assert start_of_local_day(clock, clock.now()) == datetime(2026, 11, 23, tzinfo=BERLIN)


# -- markers -------------------------------------------------------------------------------------


def test_the_days_events_and_reactions_become_labelled_markers(
    ward: Ward, store: Store, admission: Admission, clock: ManualClock
) -> None:
    started = clock.now()
    for task in ("acyclovir", "ranitidine", "desloratadine"):
        ward.record(admission, EventKind.PREMEDICATION_GIVEN, by=NURSE, task=task)
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.STEROID_STARTED, by=NURSE)
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.STEROID_FINISHED, by=NURSE)
    ward.record(admission, EventKind.PREMEDICATION_GIVEN, by=NURSE, task="paracetamol")
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.INFUSION_STARTED, by=NURSE, batch="L1", checked_by="CD")
    clock.advance(timedelta(hours=1))
    ward.record(admission, EventKind.INFUSION_PAUSED, by=NURSE)
    store.insert(
        "reactions",
        {
            "day_id": admission.id,
            "term": "rash maculo-papular",
            "ctcae_version": "5.0",
            "grade": 1,
            "onset_at": to_iso(clock.now()),
        },
        NURSE,
    )
    clock.advance(timedelta(minutes=20))
    ward.record(admission, EventKind.INFUSION_RESUMED, by=NURSE)
    ward.record(admission, EventKind.RATE_CHANGED, by=NURSE, rate_ml_h=12.5)
    ward.record_vitals(admission, {"hr": 80}, by=NURSE)

    markers = day_markers(ward, admission)

    assert [(m.label, m.kind) for m in markers] == [
        ("Acyclovir + Ranitidine + Desloratadine", MarkerKind.MEDICATION),
        ("Methylpred. start", MarkerKind.MEDICATION),
        ("Methylpred. end", MarkerKind.MEDICATION),
        ("Paracetamol", MarkerKind.MEDICATION),
        ("Alemtuzumab start", MarkerKind.INFUSION),
        ("Paused", MarkerKind.INFUSION),
        ("Rash maculo-papular (grade 1)", MarkerKind.REACTION),
        ("Resumed", MarkerKind.INFUSION),
        ("Rate 12.5 mL/h", MarkerKind.INFUSION),
    ]
    assert markers[0].at == started
    assert markers[4].at == started + timedelta(minutes=90)


def test_the_end_of_the_infusion_and_of_the_observation_are_marked() -> None:
    t0 = datetime(2026, 11, 23, 8, tzinfo=UTC)
    events = [
        DayEvent("1", EventKind.INFUSION_STARTED, t0, NURSE, drug="alemtuzumab"),
        DayEvent("2", EventKind.INFUSION_STOPPED, t0 + timedelta(hours=1), NURSE, reason="x"),
        DayEvent("3", EventKind.OBSERVATION_ENDED, t0 + timedelta(hours=3), NURSE),
        DayEvent("4", EventKind.INFUSION_COMPLETED, t0 + timedelta(hours=4), NURSE),
        DayEvent("5", EventKind.LAB_SAMPLED, t0 + timedelta(hours=4), NURSE, task="platelets"),
    ]
    reaction = ReactionOnset("fever", 2, t0 + timedelta(minutes=30))
    assert markers_for_day(events, [reaction]) == [
        Marker(t0, "Alemtuzumab start", MarkerKind.INFUSION),
        Marker(t0 + timedelta(minutes=30), "Fever (grade 2)", MarkerKind.REACTION),
        Marker(t0 + timedelta(hours=1), "Stopped", MarkerKind.INFUSION),
        Marker(t0 + timedelta(hours=3), "Observation end", MarkerKind.OBSERVATION),
        Marker(t0 + timedelta(hours=4), "Completed", MarkerKind.INFUSION),
    ]


def test_premedications_far_apart_keep_markers_of_their_own() -> None:
    t0 = datetime(2026, 11, 23, 8, tzinfo=UTC)
    events = [
        DayEvent("1", EventKind.PREMEDICATION_GIVEN, t0, NURSE, drug="acyclovir"),
        DayEvent("2", EventKind.PREMEDICATION_GIVEN, t0 + timedelta(minutes=1), NURSE, drug="x"),
        DayEvent("3", EventKind.PREMEDICATION_GIVEN, t0 + timedelta(hours=1), NURSE, drug="y"),
    ]
    assert [m.label for m in markers_for_day(events)] == ["Acyclovir + X", "Y"]
