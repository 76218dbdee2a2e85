"""Shared fixtures: a movable clock in the ward's time zone, a real record in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Tests never need a screen; set here so that no caller has to.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from alemmonitor.clock import ManualClock
from alemmonitor.protocol import Protocol, load_protocol
from alemmonitor.store import Store
from alemmonitor.ward import Ward

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> ManualClock:
    """08:00 in Dresden on an ordinary Monday."""
    return ManualClock(datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN), BERLIN)


@pytest.fixture(scope="session")
def protocol() -> Protocol:
    """The shipped default protocol."""
    return load_protocol()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: ManualClock) -> Iterator[Store]:
    with Store.open(db_path, clock) as opened:
        yield opened


@pytest.fixture
def ward(store: Store, protocol: Protocol, clock: ManualClock) -> Ward:
    return Ward(store, protocol, clock)
