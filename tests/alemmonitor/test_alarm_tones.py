"""The alarm sounds: a listener tells the priorities apart by their pulses."""

from __future__ import annotations

import io
import itertools
import struct
import wave

import pytest

from alemmonitor.alarm_rules import Priority
from alemmonitor.alarm_tones import PATTERNS, RATE, pulse_onsets, render, wav


@pytest.mark.parametrize(
    ("priority", "pulses", "repeats"),
    [(Priority.HIGH, 10, True), (Priority.MEDIUM, 3, True), (Priority.LOW, 2, False)],
)
def test_each_priority_has_its_number_of_pulses(
    priority: Priority, pulses: int, *, repeats: bool
) -> None:
    samples = render(PATTERNS[priority])

    onsets = pulse_onsets(samples)

    assert len(onsets) == pulses
    assert onsets == pytest.approx(list(PATTERNS[priority].onsets_s), abs=0.005)
    assert (PATTERNS[priority].repeat_after_s is not None) is repeats


def test_a_high_alarm_is_faster_and_higher_than_a_medium_one() -> None:
    high, medium = PATTERNS[Priority.HIGH], PATTERNS[Priority.MEDIUM]

    assert high.frequency_hz > medium.frequency_hz
    assert high.onsets_s[1] - high.onsets_s[0] < medium.onsets_s[1] - medium.onsets_s[0]
    assert high.cycle_s < medium.cycle_s  # and it repeats sooner


def test_the_high_burst_is_grouped_3_2_3_2() -> None:
    onsets = PATTERNS[Priority.HIGH].onsets_s
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(onsets)]

    long_gaps = [index for index, gap in enumerate(gaps) if gap > min(gaps)]
    assert long_gaps == [2, 4, 7]


@pytest.mark.parametrize("priority", list(Priority))
def test_pulses_start_and_end_softly_and_never_clip(priority: Priority) -> None:
    samples = render(PATTERNS[priority])
    pattern = PATTERNS[priority]

    assert max(abs(s) for s in samples) < 32767
    for onset in pattern.onsets_s:
        start = round(onset * RATE)
        end = start + round(pattern.pulse_s * RATE) - 1
        assert abs(samples[start]) < 100
        assert abs(samples[end]) < 100


@pytest.mark.parametrize("priority", list(Priority))
def test_the_wav_holds_one_cycle_of_16_bit_mono_sound(priority: Priority) -> None:
    with wave.open(io.BytesIO(wav(priority)), "rb") as read:
        assert (read.getnchannels(), read.getsampwidth(), read.getframerate()) == (1, 2, RATE)
        frames = read.readframes(read.getnframes())
    samples = list(struct.unpack(f"<{len(frames) // 2}h", frames))

    assert samples == render(PATTERNS[priority])
    assert len(samples) / RATE == pytest.approx(PATTERNS[priority].cycle_s, abs=1 / RATE)
