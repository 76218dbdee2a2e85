"""Vital-sign trends of a chair or an infusion day: series, the day's markers, normal ranges.

Qt-free; a plot draws what is here. A `TrendSource` reads a chair's observations from the record
once, then only the rows added since (by the observations' rowid, which only grows in an
append-only table), so refreshing every second costs what arrived in that second, not the day.
Times are float seconds since the epoch (UTC), the form plots and numpy work in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import numpy as np
import numpy.typing as npt

from alemmonitor.clock import Clock, from_iso, to_iso
from alemmonitor.datafiles import Gt, Le, file_key, parse_yaml_model, read_text
from alemmonitor.errors import DataFileError
from alemmonitor.infusion_day import DayEvent, EventKind
from alemmonitor.protocol import Protocol
from alemmonitor.store import Row, Store
from alemmonitor.texts import QT_TRANSLATE_NOOP, Text, joined
from alemmonitor.vitals import LABELS, unit_text
from alemmonitor.ward import Admission, Ward
from devices.readings import CANONICAL_UNIT, PLAUSIBLE_RANGE, Parameter

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int16]

MANUAL_SOURCE: Final = "manual"
"""The source of values a nurse charted by hand (`Ward.record_vitals`)."""

# Premedications recorded within this many seconds of each other share one marker: the oral
# prophylaxis is given together, and three labels on one spot cannot be read.
_PREMEDICATION_GROUP_S = 300.0


# -- settings: normal ranges and line gaps -------------------------------------------------------


class TrendsFileError(DataFileError):
    """A trends settings file is malformed."""

    what = "trends file"
    subject = "trends settings"


@dataclass(frozen=True)
class NormalRange:
    """The band shaded behind a parameter's trend, inclusive, in its canonical unit."""

    low: float
    high: float


@dataclass(frozen=True)
class TrendSettings:
    """How trends are drawn: normal ranges (not every parameter has one) and line gaps."""

    normal_ranges: Mapping[Parameter, NormalRange]
    line_gaps_s: Mapping[Parameter, float]
    """A device line is broken where consecutive values lie further apart than this."""


@dataclass(frozen=True, kw_only=True)
class _ParameterEntry:
    unit: str
    low: float | None = None
    high: float | None = None
    line_gap_s: Annotated[float, Gt(0), Le(24 * 3600)]


@dataclass(frozen=True, kw_only=True)
class _TrendsFile:
    schema_version: Literal[1] = file_key("schema")
    parameters: dict[Parameter, _ParameterEntry]


def default_trends_path() -> Path:
    """The trends settings shipped with the app."""
    return Path(str(resources.files("resources") / "trends.yaml"))


def load_trend_settings(path: Path | None = None) -> TrendSettings:
    """Read and validate a trends settings file (the shipped one when `path` is None).

    Raises TrendsFileError listing every problem with file, line and field.
    """
    path = path or default_trends_path()
    return parse_trend_settings(read_text(path, TrendsFileError), str(path))


def parse_trend_settings(text: str, name: str) -> TrendSettings:
    """Validate the YAML text of a trends settings file; `name` is used in error messages."""
    parsed = parse_yaml_model(text, name, _TrendsFile, TrendsFileError, check=_inconsistencies)
    ranges = {
        parameter: NormalRange(entry.low, entry.high)
        for parameter, entry in parsed.parameters.items()
        if entry.low is not None and entry.high is not None
    }
    gaps = {parameter: entry.line_gap_s for parameter, entry in parsed.parameters.items()}
    return TrendSettings(MappingProxyType(ranges), MappingProxyType(gaps))


def _inconsistencies(parsed: _TrendsFile) -> Iterable[tuple[tuple[object, ...], str]]:
    """Problems no single field shows: wrong units, half or impossible ranges, missing entries."""
    for parameter in Parameter:
        if parameter not in parsed.parameters:
            yield ("parameters",), f"{parameter.value} is missing"
    for parameter, entry in parsed.parameters.items():
        loc: tuple[object, ...] = ("parameters", parameter.value)
        unit = CANONICAL_UNIT[parameter]
        if entry.unit != unit:
            yield (*loc, "unit"), f"{entry.unit!r} is not the record's unit {unit!r}"
        if (entry.low is None) != (entry.high is None):
            missing = "high" if entry.high is None else "low"
            yield (*loc, missing), "a normal range needs both low and high"
            continue
        if entry.low is None or entry.high is None:
            continue
        if entry.low >= entry.high:
            yield (*loc, "low"), f"low {entry.low:g} is not below high {entry.high:g}"
        lowest, highest = PLAUSIBLE_RANGE[parameter]
        for key, value in (("low", entry.low), ("high", entry.high)):
            if not lowest <= value <= highest:
                yield (*loc, key), f"{value:g} {unit} is impossible ({lowest:g}-{highest:g})"


# -- series --------------------------------------------------------------------------------------


class Points:
    """Time-ordered values of one kind (device stream or charted) with their sources.

    `times` (seconds since the epoch, UTC), `values`, `codes` (index of each value's source in
    the series' `sources`) and `joined` (whether the line runs on to the next point) are views of
    the first `len(self)` entries of buffers that double when full, so a 1 Hz stream appends
    without copying the day. A view handed out stays valid; it does not see later appends.
    `revision` changes whenever the points change, so a plot can skip unchanged ones;
    `rewrites` only when points already held changed (a merge before them, a removal), so a view
    of the points can take in just the points added after the ones it holds.
    """

    _INITIAL_CAPACITY = 256

    def __init__(self, line_gap_s: float = math.inf) -> None:
        self.line_gap_s = line_gap_s
        self.revision = 0
        self.rewrites = 0
        self._count = 0
        self._times: FloatArray = np.empty(self._INITIAL_CAPACITY, dtype=np.float64)
        self._values: FloatArray = np.empty(self._INITIAL_CAPACITY, dtype=np.float64)
        self._codes: CodeArray = np.empty(self._INITIAL_CAPACITY, dtype=np.int16)
        self._joined: BoolArray = np.empty(self._INITIAL_CAPACITY, dtype=np.bool_)

    def __len__(self) -> int:
        return self._count

    @property
    def times(self) -> FloatArray:
        """When each value was measured, seconds since the epoch (UTC), ascending."""
        return self._times[: self._count]

    @property
    def values(self) -> FloatArray:
        """The values, in the parameter's canonical unit."""
        return self._values[: self._count]

    @property
    def codes(self) -> CodeArray:
        """Each value's source, as an index into the series' `sources`."""
        return self._codes[: self._count]

    @property
    def joined(self) -> BoolArray:
        """Whether each point is joined to the next by the line (False across a gap, and last)."""
        return self._joined[: self._count]

    def extend(self, times: FloatArray, values: FloatArray, codes: CodeArray) -> None:
        """Add points; ones dated before points already held are merged into time order."""
        added = len(times)
        if added == 0:
            return
        if added > 1:
            order = np.argsort(times, kind="stable")
            times, values, codes = times[order], values[order], codes[order]
        count = self._count
        self._reserve(count + added)
        if count == 0 or times[0] >= self._times[count - 1]:
            end = count + added
            self._times[count:end] = times
            self._values[count:end] = values
            self._codes[count:end] = codes
            first_changed = count
        else:
            # A set charted late, dated before values already shown: rare, so a full merge.
            at = np.searchsorted(self._times[:count], times, side="right")
            merged_times = np.insert(self._times[:count], at, times)
            end = count + added
            self._times[:end] = merged_times
            self._values[:end] = np.insert(self._values[:count], at, values)
            self._codes[:end] = np.insert(self._codes[:count], at, codes)
            first_changed = int(at[0])
            self.rewrites += 1
        self._count = end
        self.revision += 1
        self._rejoin(first_changed)

    def remove(self, index: int) -> None:
        """Take out the point at `index` (its record was corrected or struck out)."""
        count = self._count
        if not 0 <= index < count:
            raise IndexError(index)
        for column in (self._times, self._values, self._codes):
            column[index : count - 1] = column[index + 1 : count]
        self._count = count - 1
        self.revision += 1
        self.rewrites += 1
        self._rejoin(index)

    def find(self, at: float, value: float, code: int) -> int | None:
        """The index of a point with exactly this time, value and source, if there is one."""
        start = int(np.searchsorted(self.times, at, side="left"))
        stop = int(np.searchsorted(self.times, at, side="right"))
        for index in range(start, stop):
            if self._values[index] == value and self._codes[index] == code:
                return index
        return None

    def window(self, start: float, end: float) -> slice:
        """The positions of the points measured from `start` to `end` (inclusive)."""
        times = self.times
        return slice(
            int(np.searchsorted(times, start, side="left")),
            int(np.searchsorted(times, end, side="right")),
        )

    def _reserve(self, needed: int) -> None:
        capacity = len(self._times)
        if needed <= capacity:
            return
        while capacity < needed:
            capacity *= 2
        self._times = _grown(self._times, capacity)
        self._values = _grown(self._values, capacity)
        self._codes = _grown(self._codes, capacity)
        self._joined = _grown(self._joined, capacity)

    def _rejoin(self, first_changed: int) -> None:
        """Recompute `joined` from the point before the first one that changed."""
        count = self._count
        if count == 0:
            return
        start = max(first_changed - 1, 0)
        times = self._times[start:count]
        self._joined[start : count - 1] = np.diff(times) <= self.line_gap_s
        self._joined[count - 1] = False


def _grown(array: npt.NDArray[Any], capacity: int) -> npt.NDArray[Any]:
    grown = np.empty(capacity, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


class Envelope:
    """Points thinned to a row of pixel columns, for drawing a device stream: each column's
    highest and lowest value (every peak kept, as a plot's 'peak' downsampling keeps them, but by
    time, not by count), the newest column too however few values it holds yet.

    `update` recomputes only the columns that values added since the last update fall into;
    other points, points rewritten, another span or another width are computed anew. `x`, `y`
    and `connect` are what to draw: the last value before the span, then two vertices per column
    with values (its highest, then its lowest, at the column's middle), and whether each vertex
    is joined to the next (the line breaks after a column where the stream breaks in it). A new
    value within its column's highest and lowest changes nothing to draw.
    """

    def __init__(self) -> None:
        self.x: FloatArray = np.empty(0)
        self.y: FloatArray = np.empty(0)
        self.connect: BoolArray = np.empty(0, dtype=np.bool_)
        self.joined = True
        """Whether every vertex is joined to the next (the line is unbroken)."""
        self.value_range: tuple[float, float] | None = None
        """The lowest and highest value in the span, if it holds any."""
        self.changed_from = 0
        """The first vertex that the last update changed; those before it are as they were
        (mostly a new value changes the newest column's two only)."""
        self._before = -1  # the last point before the span, drawn first
        self._points: Points | None = None
        self._key: tuple[int, float, float, int] = (0, 0.0, 1.0, 1)
        self._count = 0
        self._newest_column = -1
        self._high: FloatArray = np.empty(0)
        self._low: FloatArray = np.empty(0)
        self._filled: BoolArray = np.empty(0, dtype=np.bool_)
        self._broken: BoolArray = np.empty(0, dtype=np.bool_)

    def update(self, points: Points, start: float, stop: float, columns: int) -> bool:
        """Follow `points` from `start` to `stop` in `columns` columns; whether what to draw
        changed."""
        key = (points.rewrites, start, stop, columns)
        count = len(points)
        if points is not self._points or key != self._key or count < self._count:
            self._points, self._key, self._count = points, key, 0
            self._newest_column = -1
            self._high = np.empty(columns)
            self._low = np.empty(columns)
            self._filled = np.zeros(columns, dtype=np.bool_)
            self._broken = np.zeros(columns, dtype=np.bool_)
        elif count == self._count:
            return False
        newest = self._column(points.times[count - 1]) if count else -1
        if newest == self._newest_column and 0 <= newest < columns:
            return self._widen_newest(points, count)
        # From the newest column held so far: its link to the next value has just been decided.
        first = min(max(self._newest_column, 0), columns - 1)
        held = self._count
        self._count = count
        self._newest_column = newest
        if count:
            self._fill(points, first, min(max(newest, 0), columns - 1))
        before = self._before
        self._assemble(points)
        if held == 0 or self._before != before:
            self.changed_from = 0
        else:
            lead = 1 if self._before >= 0 else 0
            self.changed_from = lead + 2 * int(np.count_nonzero(self._filled[:first]))
        return True

    def _widen_newest(self, points: Points, count: int) -> bool:
        """Take in values that all fall into the newest column (mostly one value, each second)."""
        column = self._newest_column
        values = points.values[self._count : count]
        self._count = count
        high, low = float(values.max()), float(values.min())
        if high <= self._high[column] and low >= self._low[column]:
            return False
        self._high[column] = max(high, self._high[column])
        self._low[column] = min(low, self._low[column])
        # The column's two vertices are the last two.
        y = self.y.copy()
        y[-2:] = self._high[column], self._low[column]
        self.y = y
        self.changed_from = len(y) - 2
        lowest, highest = self.value_range or (low, high)
        self.value_range = min(lowest, low), max(highest, high)
        return True

    def _column(self, at: float) -> int:
        """The column of a time (below 0 before the span, `columns` and above after it)."""
        _, start, stop, columns = self._key
        return math.floor((at - start) / (stop - start) * columns)

    def _fill(self, points: Points, first: int, last: int) -> None:
        """Recompute columns `first` to `last` (inclusive) from the points."""
        _, start, stop, columns = self._key
        width = (stop - start) / columns
        edges = start + width * np.arange(first, last + 2, dtype=np.float64)
        times = points.times
        begins = np.searchsorted(times, edges[:-1], side="left")
        ends = np.searchsorted(times, edges[1:], side="left")
        filled = ends > begins
        self._filled[first : last + 1] = filled
        if not filled.any():
            return
        # Columns with values are contiguous runs of points: one pass of reduceat each.
        starts = begins[filled]
        run = slice(int(starts[0]), int(ends[filled][-1]))
        offsets = starts - starts[0]
        at = np.flatnonzero(filled) + first
        self._high[at] = np.maximum.reduceat(points.values[run], offsets)
        self._low[at] = np.minimum.reduceat(points.values[run], offsets)
        self._broken[at] = ~np.logical_and.reduceat(points.joined[run], offsets)

    def _assemble(self, points: Points) -> None:
        _, start, stop, columns = self._key
        at = np.flatnonzero(self._filled)
        middles = start + (at + 0.5) * ((stop - start) / columns)
        x = np.repeat(middles, 2)
        y = np.column_stack((self._high[at], self._low[at])).ravel()
        connect = np.ones(len(x), dtype=np.bool_)
        connect[1::2] = ~self._broken[at]
        if len(at):
            connect[-1] = False  # nothing follows the newest column yet
            self.value_range = float(self._low[at].min()), float(self._high[at].max())
        else:
            self.value_range = None
        before = int(np.searchsorted(points.times, start, side="left")) - 1
        if before >= 0 and len(at):
            # The last value before the span, so that the line comes in from the left edge.
            x = np.concatenate(([points.times[before]], x))
            y = np.concatenate(([points.values[before]], y))
            connect = np.concatenate(([points.joined[before]], connect))
        else:
            before = -1
        self._before = before
        self.x, self.y, self.connect = x, y, connect
        self.joined = bool(connect[:-1].all())


@dataclass(frozen=True)
class TrendPoint:
    """One plotted value with what a nurse needs to read it: parameter, value, time, source."""

    parameter: Parameter
    at: datetime
    value: float
    source: str

    @property
    def manual(self) -> bool:
        """Whether a nurse charted this value by hand (not a monitor's stream)."""
        return self.source == MANUAL_SOURCE

    @property
    def unit(self) -> str:
        """The record's unit of the value."""
        return CANONICAL_UNIT[self.parameter]

    def text(self, local: Callable[[datetime], datetime]) -> Text:
        """'Heart rate 72 /min · 10:15:03 · monitor (masimo)', in the ward's local time."""
        digits = 1 if self.parameter is Parameter.TEMP else 0
        origin = (
            QT_TRANSLATE_NOOP("Trends", "charted (manual)")
            if self.manual
            else QT_TRANSLATE_NOOP("Trends", "monitor ({protocol})").format(protocol=self.source)
        )
        return QT_TRANSLATE_NOOP("Trends", "{parameter} {value} {unit} · {time} · {origin}").format(
            parameter=LABELS[self.parameter],
            value=f"{self.value:.{digits}f}",
            unit=unit_text(self.parameter),
            time=f"{local(self.at):%H:%M:%S}",
            origin=origin,
        )


class TrendSeries:
    """One parameter's values: the device stream (a line) and charted values (symbols)."""

    def __init__(self, parameter: Parameter, line_gap_s: float) -> None:
        self.parameter = parameter
        self.unit = CANONICAL_UNIT[parameter]
        self.device = Points(line_gap_s)
        self.manual = Points()
        self.sources: list[str] = []
        self._source_codes: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.device) + len(self.manual)

    def add(self, times: FloatArray, values: FloatArray, sources: Sequence[str]) -> None:
        """Add values measured at `times` (seconds since the epoch) from `sources`."""
        if len(times) == 0:
            return
        kinds = set(sources)
        if len(kinds) == 1:  # mostly: one monitor's batch, or one charted set
            (source,) = kinds
            points = self.manual if source == MANUAL_SOURCE else self.device
            points.extend(times, values, np.full(len(times), self._code(source), dtype=np.int16))
            return
        code_of = {source: self._code(source) for source in kinds}
        codes = np.array([code_of[source] for source in sources], dtype=np.int16)
        manual = codes == self._code(MANUAL_SOURCE)
        if manual.any():
            self.manual.extend(times[manual], values[manual], codes[manual])
            device = ~manual
            times, values, codes = times[device], values[device], codes[device]
        self.device.extend(times, values, codes)

    def remove(self, at: float, value: float, source: str) -> bool:
        """Take out the value measured at `at` from `source`; False if it is not here."""
        code = self._source_codes.get(source)
        if code is None:
            return False
        points = self.manual if source == MANUAL_SOURCE else self.device
        index = points.find(at, value, code)
        if index is None:
            return False
        points.remove(index)
        return True

    def point(self, points: Points, index: int) -> TrendPoint:
        """The value at `index` of `points` (this series' `device` or `manual`)."""
        return TrendPoint(
            self.parameter,
            datetime.fromtimestamp(float(points.times[index]), tz=UTC),
            float(points.values[index]),
            self.sources[int(points.codes[index])],
        )

    def value_range(self, start: float, end: float) -> tuple[float, float] | None:
        """The lowest and highest value measured from `start` to `end`, if any."""
        lows: list[float] = []
        highs: list[float] = []
        for points in (self.device, self.manual):
            values = points.values[points.window(start, end)]
            if len(values):
                lows.append(float(values.min()))
                highs.append(float(values.max()))
        return (min(lows), max(highs)) if lows else None

    def _code(self, source: str) -> int:
        code = self._source_codes.get(source)
        if code is None:
            code = len(self.sources)
            self.sources.append(source)
            self._source_codes[source] = code
        return code


@dataclass(frozen=True)
class Selection:
    """Whose trends: an infusion day (`day_id`), or a chair without one since a moment."""

    bed_id: str
    day_id: str | None
    since: datetime | None = None

    def holds(self, row: Mapping[str, Any]) -> bool:
        """Whether an observation row belongs to this selection."""
        if self.day_id is not None:
            return bool(row["day_id"] == self.day_id)
        return bool(row["bed_id"] == self.bed_id and row["measured_at"] >= self.since_text)

    @property
    def since_text(self) -> str:
        """`since` as stored timestamps are written ('' for no limit)."""
        # Stored timestamps share one fixed-width form, so text order is time order.
        return to_iso(self.since) if self.since is not None else ""


def start_of_local_day(clock: Clock, moment: datetime) -> datetime:
    """Midnight of `moment`'s ward calendar date (aware): where a chair's trends begin when no
    patient's day is on it."""
    local = clock.local(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


class ChairTrends:
    """The series of one selection (an infusion day or a chair), one per parameter.

    `upto` is the newest observation rowid the series have taken in; `rows_loaded` how many
    rows the load that made them read.
    """

    def __init__(
        self, settings: TrendSettings, selection: Selection | None = None, upto: int = 0
    ) -> None:
        self.selection = selection
        self.upto = upto
        self.rows_loaded = 0
        self.series: dict[Parameter, TrendSeries] = {
            parameter: TrendSeries(parameter, settings.line_gaps_s[parameter])
            for parameter in Parameter
        }

    def __getitem__(self, parameter: Parameter) -> TrendSeries:
        return self.series[parameter]

    def __len__(self) -> int:
        return sum(len(series) for series in self.series.values())

    def first_time(self) -> float | None:
        """When the earliest value was measured (seconds since the epoch), if any."""
        firsts = [
            float(points.times[0])
            for series in self.series.values()
            for points in (series.device, series.manual)
            if len(points)
        ]
        return min(firsts, default=None)

    def add_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Add observation rows (parameter, value, unit, measured_at, source) to the series.

        Rows of a parameter the app does not chart, or in another unit than the record's, are
        left out: the record's writers never store them, and a value drawn on the wrong scale
        would mislead.
        """
        groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
        for row in rows:
            groups.setdefault((row["parameter"], row["unit"]), []).append(row)
        for (name, unit), group in groups.items():
            parameter = _plottable(name, unit)
            if parameter is None:
                continue
            times = _epoch_seconds([row["measured_at"] for row in group])
            values = np.array([row["value"] for row in group], dtype=np.float64)
            self.series[parameter].add(times, values, [row["source"] for row in group])


# -- reading from the record ---------------------------------------------------------------------

# Loads stop at the newest rowid read just before, so that the first poll starts exactly there.
_LOAD_DAY = """
SELECT o.parameter, o.value, o.unit, o.measured_at, o.source
FROM observations AS o
WHERE o.day_id = :day_id AND o.rowid <= :upto AND o.voided = 0
  AND NOT EXISTS (SELECT 1 FROM observations AS c WHERE c.supersedes = o.id)
"""
_LOAD_BED = """
SELECT o.parameter, o.value, o.unit, o.measured_at, o.source
FROM observations AS o
WHERE o.bed_id = :bed_id AND o.measured_at >= :since AND o.rowid <= :upto AND o.voided = 0
  AND NOT EXISTS (SELECT 1 FROM observations AS c WHERE c.supersedes = o.id)
"""
# The unary `+` keeps SQLite off the day and bed indexes, which would walk every row of the day:
# the rowid range alone is searched, so a poll reads only the rows added since the last one.
# Corrections of any chair are read too; whether they touch this one is decided from their rows.
_POLL_DAY = """
SELECT o.rowid AS seq, o.supersedes, o.voided, o.day_id, o.bed_id, o.parameter, o.value,
       o.unit, o.measured_at, o.source
FROM observations AS o
WHERE o.rowid > :after AND o.rowid <= :upto
  AND (+o.day_id = :day_id OR +o.supersedes IS NOT NULL)
ORDER BY o.rowid
"""
_POLL_BED = """
SELECT o.rowid AS seq, o.supersedes, o.voided, o.day_id, o.bed_id, o.parameter, o.value,
       o.unit, o.measured_at, o.source
FROM observations AS o
WHERE o.rowid > :after AND o.rowid <= :upto
  AND ((+o.bed_id = :bed_id AND +o.measured_at >= :since) OR +o.supersedes IS NOT NULL)
ORDER BY o.rowid
"""
_NEWEST = "SELECT coalesce(max(rowid), 0) AS seq FROM observations"
_VERSION = """
SELECT day_id, bed_id, parameter, value, unit, measured_at, source
FROM observations WHERE id = ?
"""


class TrendSource:
    """A chair's or an infusion day's trends, read from the record.

    `load` reads a selection's observations (on any thread: a whole day takes a while);
    `adopt` makes them current; `poll` then reads only the rows added to the record since, and
    applies corrections and strike-outs to the values already held. `open` is `load` and
    `adopt` in one. Apart from `load`, use a source on one thread only.
    """

    def __init__(self, store: Store, settings: TrendSettings | None = None) -> None:
        self.store = store
        self.settings = settings if settings is not None else load_trend_settings()
        self.trends = ChairTrends(self.settings)
        self.rows_read = 0
        """Observation rows read from the record by `adopt`ed loads and polls."""

    def load(self, selection: Selection) -> ChairTrends:
        """Read a selection's trends from the record; changes nothing here (thread-safe)."""
        upto = self._newest()
        if selection.day_id is not None:
            rows = self.store.query(_LOAD_DAY, {"day_id": selection.day_id, "upto": upto})
        else:
            params = {"bed_id": selection.bed_id, "since": selection.since_text, "upto": upto}
            rows = self.store.query(_LOAD_BED, params)
        trends = ChairTrends(self.settings, selection, upto)
        trends.add_rows(rows)
        trends.rows_loaded = len(rows)
        return trends

    def adopt(self, trends: ChairTrends) -> None:
        """Show `trends` from now on; polls continue from where their load stopped."""
        self.trends = trends
        self.rows_read += trends.rows_loaded

    def open(self, bed_id: str, day_id: str | None, since: datetime | None = None) -> ChairTrends:
        """Read and adopt the trends of infusion day `day_id`, or of chair `bed_id` from `since`
        when the chair has no patient's day."""
        trends = self.load(Selection(bed_id, day_id, since if day_id is None else None))
        self.adopt(trends)
        return trends

    def poll(self) -> int:
        """Take in the rows added to the record since the last look; returns how many there were
        for this selection (new values, corrections and strike-outs)."""
        trends = self.trends
        selection = trends.selection
        if selection is None:
            return 0
        upto = self._newest()
        if upto <= trends.upto:
            return 0
        params: dict[str, object] = {"after": trends.upto, "upto": upto}
        if selection.day_id is not None:
            params["day_id"] = selection.day_id
            rows = self.store.query(_POLL_DAY, params)
        else:
            params |= {"bed_id": selection.bed_id, "since": selection.since_text}
            rows = self.store.query(_POLL_BED, params)
        trends.upto = upto
        self.rows_read += len(rows)
        return self._take(trends, selection, rows)

    def _take(self, trends: ChairTrends, selection: Selection, rows: list[Row]) -> int:
        taken = 0
        pending: list[Row] = []
        for row in rows:
            relevant = False
            if row["supersedes"] is not None:
                # Values added so far go in first, so that a correction finds what it corrects.
                trends.add_rows(pending)
                pending = []
                relevant = self._retract(trends, selection, row["supersedes"])
            if selection.holds(row):
                relevant = True
                if not row["voided"]:
                    pending.append(row)
            taken += relevant
        trends.add_rows(pending)
        return taken

    def _retract(self, trends: ChairTrends, selection: Selection, row_id: str) -> bool:
        """Take out the value a correction replaces, if this selection shows it."""
        rows = self.store.query(_VERSION, (row_id,))
        self.rows_read += len(rows)
        if not rows or not selection.holds(rows[0]):
            return False
        old = rows[0]
        parameter = _plottable(old["parameter"], old["unit"])
        if parameter is not None:
            at = float(_epoch_seconds([old["measured_at"]])[0])
            trends[parameter].remove(at, float(old["value"]), old["source"])
        return True

    def _newest(self) -> int:
        rows = self.store.query(_NEWEST)
        return int(rows[0]["seq"])


def _plottable(name: str, unit: str) -> Parameter | None:
    try:
        parameter = Parameter(name)
    except ValueError:
        return None
    return parameter if unit == CANONICAL_UNIT[parameter] else None


def _epoch_seconds(texts: Sequence[str]) -> FloatArray:
    """Stored timestamps as seconds since the epoch."""
    # The record writes UTC with a '+00:00' suffix (`to_iso`), which numpy parses in bulk once
    # the suffix is off; anything else is read one by one.
    if all(text.endswith("+00:00") for text in texts):
        stamps = np.array([text[:-6] for text in texts], dtype="datetime64[us]")
        return stamps.astype(np.int64).astype(np.float64) / 1e6
    return np.array([from_iso(text).timestamp() for text in texts], dtype=np.float64)


# -- markers -------------------------------------------------------------------------------------


class MarkerKind(StrEnum):
    """What a marker on the trends stands for; the plot colours markers by it."""

    MEDICATION = "medication"
    INFUSION = "infusion"
    OBSERVATION = "observation"
    REACTION = "reaction"


@dataclass(frozen=True)
class Marker:
    """A moment of the day drawn across the trends: 'Alemtuzumab start', 'Paused', a reaction."""

    at: datetime
    label: Text
    kind: MarkerKind


@dataclass(frozen=True)
class ReactionOnset:
    """When a reaction began, as the `reactions` table records it."""

    term: str
    grade: int
    onset_at: datetime


_FIXED_LABELS: Mapping[EventKind, tuple[Text, MarkerKind]] = {
    EventKind.INFUSION_PAUSED: (QT_TRANSLATE_NOOP("Trends", "Paused"), MarkerKind.INFUSION),
    EventKind.INFUSION_RESUMED: (QT_TRANSLATE_NOOP("Trends", "Resumed"), MarkerKind.INFUSION),
    EventKind.INFUSION_STOPPED: (QT_TRANSLATE_NOOP("Trends", "Stopped"), MarkerKind.INFUSION),
    EventKind.INFUSION_COMPLETED: (QT_TRANSLATE_NOOP("Trends", "Completed"), MarkerKind.INFUSION),
    EventKind.OBSERVATION_ENDED: (
        QT_TRANSLATE_NOOP("Trends", "Observation end"),
        MarkerKind.OBSERVATION,
    ),
}


def markers_for_day(
    events: Iterable[DayEvent],
    reactions: Iterable[ReactionOnset] = (),
    protocol: Protocol | None = None,
) -> list[Marker]:
    """The markers of a day's events and reactions, in time order.

    Medication, the infusion's start, rate changes, pauses, resumption and end, the end of the
    observation, and each reaction's onset; vital signs, samples and skipped steps have none
    (charted values show as points of their own). Drug names the `protocol` translates are
    shown translated.
    """
    markers: list[Marker] = []

    def name(drug: str | None, fallback: Text) -> Text:
        return _drug_name(drug, fallback, protocol)

    steroid = QT_TRANSLATE_NOOP("Trends", "Steroid")
    premedication: list[DayEvent] = []

    def close_premedication() -> None:
        if premedication:
            fallback = QT_TRANSLATE_NOOP("Trends", "Premedication")
            names = joined([name(e.drug or e.task, fallback) for e in premedication], " + ")
            markers.append(Marker(premedication[0].at, names, MarkerKind.MEDICATION))
            premedication.clear()

    for event in sorted(events, key=lambda e: e.at):
        if event.kind is EventKind.PREMEDICATION_GIVEN:
            if premedication and (
                (event.at - premedication[0].at).total_seconds() > _PREMEDICATION_GROUP_S
            ):
                close_premedication()
            premedication.append(event)
            continue
        close_premedication()
        if event.kind is EventKind.STEROID_STARTED:
            steroid = _short_drug_name(name(event.drug, steroid))
            label = QT_TRANSLATE_NOOP("Trends", "{drug} start").format(drug=steroid)
            markers.append(Marker(event.at, label, MarkerKind.MEDICATION))
        elif event.kind is EventKind.STEROID_FINISHED:
            label = QT_TRANSLATE_NOOP("Trends", "{drug} end").format(drug=steroid)
            markers.append(Marker(event.at, label, MarkerKind.MEDICATION))
        elif event.kind is EventKind.INFUSION_STARTED:
            drug = name(event.drug, QT_TRANSLATE_NOOP("Trends", "Infusion"))
            label = QT_TRANSLATE_NOOP("Trends", "{drug} start").format(drug=drug)
            markers.append(Marker(event.at, label, MarkerKind.INFUSION))
        elif event.kind is EventKind.RATE_CHANGED and event.rate_ml_h is not None:
            label = QT_TRANSLATE_NOOP("Trends", "Rate {rate:g} mL/h").format(rate=event.rate_ml_h)
            markers.append(Marker(event.at, label, MarkerKind.INFUSION))
        elif event.kind in _FIXED_LABELS:
            label, kind = _FIXED_LABELS[event.kind]
            markers.append(Marker(event.at, label, kind))
    close_premedication()
    for reaction in reactions:
        label = QT_TRANSLATE_NOOP("Trends", "{term} (grade {grade})").format(
            term=_drug_name(reaction.term, QT_TRANSLATE_NOOP("Trends", "Reaction"), None),
            grade=reaction.grade,
        )
        markers.append(Marker(reaction.onset_at, label, MarkerKind.REACTION))
    return sorted(markers, key=lambda m: m.at)


def day_markers(ward: Ward, admission: Admission) -> list[Marker]:
    """The markers of an infusion day as recorded now (struck-out events and reactions left out)."""
    events = ward.infusion_day(admission).events
    rows = ward.store.current("reactions", "day_id = ? ORDER BY onset_at", (admission.id,))
    reactions = [
        ReactionOnset(row["term"], row["grade"], from_iso(row["onset_at"])) for row in rows
    ]
    return markers_for_day(events, reactions, ward.protocol)


def _drug_name(name: str | None, fallback: Text, protocol: Protocol | None) -> Text:
    """A recorded name, capitalised, with the protocol's translations if it is one of its names;
    `fallback` when nothing was recorded."""
    words = (name or "").strip()
    if not words:
        return fallback
    if protocol is not None:
        return protocol.text(words, capitalised=True)
    return Text.data(words[:1].upper() + words[1:])


def _short_drug_name(name: Text) -> Text:
    """Long names cut to fit a marker: 'methylprednisolone' -> 'Methylpred.' (in each language)."""
    if name.context:
        return name  # a word of ours ('Steroid'): short already
    return Text.data(_shortened(name), {k: _shortened(v) for k, v in name.translations.items()})


def _shortened(name: str) -> str:
    return name if len(name) <= 12 else name[:10] + "."
