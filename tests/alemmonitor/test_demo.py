"""The demonstration ward: recorded through the nurse's own operations, scored like a real one."""

from __future__ import annotations

from alemmonitor.alarm_rules import default_alarm_rules
from alemmonitor.demo import build_demo_ward
from alemmonitor.ward import Ward
from alemmonitor.watch import AlarmWatch


def test_the_demo_ward_has_five_patients_whose_charted_sets_score_news2(ward: Ward) -> None:
    build_demo_ward(ward)
    watch = AlarmWatch(ward, default_alarm_rules())

    occupied = [view for view in ward.chairs() if view.admission is not None]

    assert len(occupied) == 5
    for view in occupied:
        assert view.admission is not None
        scored = watch.news2_of(view.admission)
        if scored is not None:  # a patient before the first round has no set yet
            assert scored.score is not None, (view.bed.label, scored.missing)
    assert any(watch.news2_of(view.admission) for view in occupied if view.admission)
