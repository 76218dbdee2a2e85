"""The alarm sounds, made by the app: one pattern of tone pulses per priority (IEC 60601-1-8).

High: a burst of 10 pulses (3 + 2, a pause, 3 + 2), repeated; medium: a burst of 3 slower,
lower pulses, repeated less often; low: 2 pulses, once. Each pulse is a tone with harmonics (so it
can be located and heard over ward noise) and soft edges (no clicks). The sound is rendered here
as 16-bit mono PCM in a WAV container, so the GUI needs no sound files and nothing is downloaded.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from alemmonitor.alarm_rules import Priority

RATE: Final = 22_050
"""Samples per second."""


@dataclass(frozen=True)
class Pattern:
    """A burst of pulses: when each begins (s), how long each lasts, its pitch, and the pause
    after the burst before it repeats (None: it plays once)."""

    onsets_s: tuple[float, ...]
    pulse_s: float
    frequency_hz: float
    repeat_after_s: float | None

    @property
    def burst_s(self) -> float:
        """How long the burst lasts, from the first pulse's start to the last pulse's end."""
        return self.onsets_s[-1] + self.pulse_s

    @property
    def cycle_s(self) -> float:
        """The length of one burst with its pause (the WAV's length)."""
        return self.burst_s + (self.repeat_after_s or 0.0)


def _spaced(groups: tuple[int, ...], spacing_s: float, group_gap_s: float) -> tuple[float, ...]:
    onsets = []
    at = 0.0
    for number, count in enumerate(groups):
        if number:
            at += group_gap_s
        for _ in range(count):
            onsets.append(round(at, 4))
            at += spacing_s
    return tuple(onsets)


PATTERNS: Final = MappingProxyType(
    {
        Priority.HIGH: Pattern(
            _spaced((3, 2, 3, 2), spacing_s=0.2, group_gap_s=0.25),
            pulse_s=0.12,
            frequency_hz=880.0,
            repeat_after_s=3.0,
        ),
        Priority.MEDIUM: Pattern(
            _spaced((3,), spacing_s=0.3, group_gap_s=0.0),
            pulse_s=0.2,
            frequency_hz=660.0,
            repeat_after_s=8.0,
        ),
        Priority.LOW: Pattern(
            _spaced((2,), spacing_s=0.4, group_gap_s=0.0),
            pulse_s=0.25,
            frequency_hz=523.0,
            repeat_after_s=None,
        ),
    }
)
"""The pattern of each priority."""

_EDGE_S: Final = 0.015
_HARMONICS: Final = ((1, 1.0), (2, 0.5), (3, 0.35), (4, 0.2))
_PEAK: Final = 0.6 * 32767 / sum(weight for _, weight in _HARMONICS)


def render(pattern: Pattern, rate: int = RATE) -> list[int]:
    """One cycle of the pattern as 16-bit samples."""
    samples = [0] * round(pattern.cycle_s * rate)
    pulse = _pulse(pattern.pulse_s, pattern.frequency_hz, rate)
    for onset in pattern.onsets_s:
        start = round(onset * rate)
        samples[start : start + len(pulse)] = pulse
    return samples


def _pulse(duration_s: float, frequency_hz: float, rate: int) -> list[int]:
    count = round(duration_s * rate)
    edge = round(_EDGE_S * rate)
    out = []
    for n in range(count):
        envelope = min(1.0, n / edge, (count - 1 - n) / edge)
        t = n / rate
        value = sum(
            weight * math.sin(2 * math.pi * frequency_hz * harmonic * t)
            for harmonic, weight in _HARMONICS
        )
        out.append(round(_PEAK * envelope * value))
    return out


def wav(priority: Priority, rate: int = RATE) -> bytes:
    """One cycle of the priority's pattern as a WAV file (16-bit mono PCM)."""
    samples = render(PATTERNS[priority], rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def pulse_onsets(samples: list[int], rate: int = RATE, threshold: int = 1000) -> list[float]:
    """When each pulse in `samples` begins (s): where the sound rises above `threshold` after
    at least 30 ms of quiet. For checking what was rendered, as a listener would count."""
    onsets = []
    quiet_needed = round(0.03 * rate)
    quiet = quiet_needed
    for index, sample in enumerate(samples):
        if abs(sample) >= threshold:
            if quiet >= quiet_needed:
                onsets.append(index / rate)
            quiet = 0
        else:
            quiet += 1
    return onsets
