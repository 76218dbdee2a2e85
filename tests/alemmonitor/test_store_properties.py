"""The append-only rule under any sequence of entries, corrections and voids.

The record is compared with a model that keeps every version ever written: the history of each
record must be exactly that list, each correction naming its predecessor, and the current view
must hold the last version of every record that was not voided.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
)

from alemmonitor.clock import ManualClock, to_iso
from alemmonitor.errors import StoreError
from alemmonitor.store import Store

Row = dict[str, Any]

START = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
RECORD_FIELDS = ("id", "root_id", "supersedes", "voided", "entered_at", "entered_by")
TABLES = ("observations", "beds")

timestamps = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive, timezones added
    max_value=datetime(2026, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
).map(to_iso)
FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "observations": {
        "parameter": st.sampled_from(["hr", "spo2", "sys", "dia", "temp", "rr"]),
        "value": st.floats(min_value=-50, max_value=300, allow_nan=False),
        "unit": st.sampled_from(["/min", "%", "mmHg", "°C"]),
        "measured_at": timestamps,
        "received_at": timestamps,
        "source": st.sampled_from(["manual", "simulator", "masimo"]),
    },
    "beds": {
        "label": st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=12),
        "position": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    },
}
people = st.sampled_from(["Nurse Weber", "Nurse Okafor", "Dr. Lindqvist"])
reasons = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=40).filter(
    str.strip
)


def new_record(table: str) -> st.SearchStrategy[Row]:
    return st.fixed_dictionaries(FIELDS[table])


def changes_to(table: str) -> st.SearchStrategy[Row]:
    return st.fixed_dictionaries({}, optional=FIELDS[table])


class AppendOnlyRecord(RuleBasedStateMachine):
    """A fresh record file per example, driven alongside a model of every version written."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="alemmonitor-properties-"))
        self.clock = ManualClock(START)
        self.store = Store.open(self.folder / "ward.sqlite3", self.clock)
        # table -> root id -> every version, oldest first, as the model expects it stored
        self.versions: dict[str, dict[str, list[Row]]] = {table: {} for table in TABLES}

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder)

    def live_records(self) -> list[tuple[str, str]]:
        return [
            (table, root)
            for table in TABLES
            for root, versions in self.versions[table].items()
            if not versions[-1]["voided"]
        ]

    def corrected_versions(self) -> list[tuple[str, str]]:
        return [
            (table, version["id"])
            for table in TABLES
            for versions in self.versions[table].values()
            for version in versions[:-1]
        ]

    @rule(seconds=st.integers(min_value=0, max_value=600))
    def time_passes(self, seconds: int) -> None:
        self.clock.advance(timedelta(seconds=seconds))

    @rule(data=st.data(), table=st.sampled_from(TABLES), by=people)
    def enter(self, data: st.DataObject, table: str, by: str) -> None:
        fields = data.draw(new_record(table))
        saved = self.store.insert(table, fields, by=by)
        self.versions[table][saved["id"]] = [
            {
                **fields,
                "id": saved["id"],
                "root_id": saved["id"],
                "supersedes": None,
                "voided": 0,
                "entered_at": to_iso(self.clock.now()),
                "entered_by": by,
                "correction_reason": None,
            }
        ]

    @precondition(lambda self: self.live_records())
    @rule(data=st.data(), by=people, reason=reasons, void=st.booleans())
    def correct_or_void(self, data: st.DataObject, by: str, reason: str, void: bool) -> None:
        table, root = data.draw(st.sampled_from(self.live_records()))
        changes = {} if void else data.draw(changes_to(table))
        versions = self.versions[table][root]
        latest = versions[-1]
        if void:
            saved = self.store.void(table, latest["id"], by=by, reason=reason)
        else:
            saved = self.store.correct(table, latest["id"], changes, by=by, reason=reason)
        versions.append(
            {
                **latest,
                **changes,
                "id": saved["id"],
                "supersedes": latest["id"],
                "voided": int(void),
                "entered_at": to_iso(self.clock.now()),
                "entered_by": by,
                "correction_reason": reason,
            }
        )

    @precondition(lambda self: self.corrected_versions())
    @rule(data=st.data(), by=people, reason=reasons)
    def correcting_an_old_version_is_refused(
        self, data: st.DataObject, by: str, reason: str
    ) -> None:
        table, old = data.draw(st.sampled_from(self.corrected_versions()))
        with pytest.raises(StoreError, match="already corrected"):
            self.store.correct(table, old, {}, by=by, reason=reason)

    @invariant()
    def history_holds_every_version_in_order(self) -> None:
        for table in TABLES:
            for root, versions in self.versions[table].items():
                history = self.store.history(table, root)
                assert [self.as_model(table, row) for row in history] == versions
                assert history[0]["supersedes"] is None
                for earlier, later in itertools.pairwise(history):
                    assert later["supersedes"] == earlier["id"]
                    assert later["correction_reason"].strip()

    @invariant()
    def current_view_is_the_latest_version_of_each_live_record(self) -> None:
        for table in TABLES:
            expected = {
                root: versions[-1]
                for root, versions in self.versions[table].items()
                if not versions[-1]["voided"]
            }
            current = {
                row["root_id"]: self.as_model(table, row) for row in self.store.current(table)
            }
            assert current == expected

    @staticmethod
    def as_model(table: str, row: Row) -> Row:
        return {key: row[key] for key in (*FIELDS[table], *RECORD_FIELDS, "correction_reason")}


AppendOnlyRecord.TestCase.settings = settings(
    max_examples=80, stateful_step_count=20, deadline=None
)
TestAppendOnlyRecord = AppendOnlyRecord.TestCase
