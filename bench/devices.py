"""Monitor protocols: decoding speed against the line's capacity, and frame-to-record latency.

Per protocol, prints
- frames decoded per second on one core (the driver's framing and decoding of the fixtures'
  frames: captured ones for masimo and hl7, the one built from the specifications for s5;
  for IntelliVue, whose numerics no public capture shows, the simulated monitor's poll result),
- that figure over the frames per second the serial line can carry at the protocol's baud rate
  (target >= 100),
- the 99th percentile of the time from a frame's last byte written to a pseudo-terminal until its
  readings are committed to a real record (target <= 50 ms).

Run: .venv/bin/python bench/devices.py [--frames N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import tty
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `devices` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from alemmonitor.acquisition import Link, Recorder  # noqa: E402
from alemmonitor.clock import SystemClock  # noqa: E402
from alemmonitor.store import Store  # noqa: E402
from devices.base import MonitorDriver, driver_class  # noqa: E402
from devices.hl7 import encode_mllp  # noqa: E402
from devices.intellivue_codec import (  # noqa: E402
    NOM_MOC_VMO_METRIC_NU,
    ContextPoll,
    PollReply,
    encode_frame,
    poll_result,
)
from devices.intellivue_simulator import numeric_observations  # noqa: E402
from devices.session import DeviceSession, LinkEvent, ReadingBatch  # noqa: E402
from devices.simulator import StableScenario  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "devices" / "fixtures"


def _fixture_lines(name: str) -> list[bytes]:
    lines = (FIXTURES / name).read_bytes().splitlines()
    return [line for line in lines if line.strip() and not line.startswith(b"#")]


def masimo_frame() -> bytes:
    """A real Radical-7 line (tests/devices/fixtures), CR LF terminated as the oximeter sends it."""
    return _fixture_lines("masimo_radical7_ascii1.txt")[0] + b"\r\n"


def hl7_frame() -> bytes:
    """The real Efficia CM ORF^R04 (tests/devices/fixtures) in its MLLP envelope."""
    segments = [line.removesuffix(b"<CR>") for line in _fixture_lines("efficia_cm_orf_r04.txt")]
    return encode_mllp(b"\r".join(segments) + b"\r")


def s5_frame() -> bytes:
    """The S/5 displayed-values frame built from the specifications (tests/devices/fixtures)."""
    lines = (FIXTURES / "s5_displayed_values.txt").read_text(encoding="utf-8").splitlines()
    return bytes.fromhex(" ".join(line.partition("#")[0] for line in lines if line[:1] != "#"))


def intellivue_frame() -> bytes:
    """An IntelliVue numerics poll result of the eight vital signs, framed as the simulator does."""
    observations = numeric_observations(
        StableScenario().vitals_at(0), datetime.fromisoformat("2026-11-23T09:00")
    )
    reply = PollReply(1, 0x0020_0000, None, NOM_MOC_VMO_METRIC_NU, (ContextPoll(0, observations),))
    return encode_frame(poll_result(1, reply))


FRAMES: dict[str, Callable[[], bytes]] = {
    "masimo": masimo_frame,
    "hl7": hl7_frame,
    "intellivue": intellivue_frame,
    "s5": s5_frame,
}


def decode_rate(driver: MonitorDriver, frame: bytes, count: int) -> float:
    """Frames decoded per second when `count` frames arrive in read-sized chunks."""
    stream = frame * count
    chunk = 4096
    start = time.perf_counter()
    decoded = 0
    for offset in range(0, len(stream), chunk):
        decoded += len(driver.receive(stream[offset : offset + chunk]).decoded)
    elapsed = time.perf_counter() - start
    if decoded != count:
        raise RuntimeError(f"decoded {decoded} of {count} frames")
    return decoded / elapsed


def latency_ms(protocol: str, frame: bytes, count: int) -> list[float]:
    """Milliseconds from a frame's last byte written to a pty until its readings are committed."""
    master, slave = os.openpty()
    tty.setraw(slave)
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.sqlite3", clock)
        stored = threading.Event()
        committed_at: list[float] = []

        def on_stored(batch: ReadingBatch, day_id: str | None) -> None:
            del batch, day_id
            committed_at.append(time.monotonic())
            stored.set()

        connected = threading.Event()

        def on_link(event: LinkEvent) -> None:
            if event.state.value == "connected":
                connected.set()

        recorder = Recorder(
            store,
            Link(protocol, "pty", None),
            resolve_day=lambda: None,
            source=protocol,
            on_stored=on_stored,
        )
        session = DeviceSession(
            os.ttyname(slave),
            driver_class(protocol)(),
            on_readings=recorder.on_readings,
            on_link=on_link,
        )
        session.start()
        connected.wait(5)
        results = []
        for _ in range(count):
            stored.clear()
            os.write(master, frame)
            sent = time.monotonic()
            if not stored.wait(5):
                raise RuntimeError("no readings were committed within 5 s")
            results.append((committed_at[-1] - sent) * 1000)
            # Drain whatever the driver answered (HL7 ACKs, queries) so the pty never fills.
            _drain(master)
        session.stop()
        store.close()
    os.close(master)
    os.close(slave)
    return results


def _drain(fd: int) -> None:
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 65536):
            pass
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(fd, True)


def main() -> int:
    """Print the figures for every protocol."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=20000, help="frames per decoding run")
    parser.add_argument("--latency-frames", type=int, default=300)
    args = parser.parse_args()
    print(
        f"Python {sys.version.split()[0]}, one core, frames from tests/devices/fixtures"
        " (IntelliVue: the simulated monitor's)"
    )
    for protocol, make_frame in FRAMES.items():
        frame = make_frame()
        driver_type = driver_class(protocol)
        rates = [decode_rate(driver_type(), frame, args.frames) for _ in range(3)]
        rate = statistics.median(rates)
        line = driver_type.serial.bytes_per_second / len(frame)
        delays = sorted(latency_ms(protocol, frame, args.latency_frames))
        p99 = delays[max(0, int(len(delays) * 0.99) - 1)]
        print(f"\n{protocol}: frame of {len(frame)} bytes, line {driver_type.serial.baudrate} baud")
        print(f"  decoded            {rate:12,.0f} frames/s")
        print(f"  line capacity      {line:12,.1f} frames/s")
        verdict = "meets" if rate / line >= 100 else "MISSES"
        print(f"  ratio              {rate / line:12,.0f}   ({verdict} the target of >= 100)")
        verdict = "meets" if p99 <= 50 else "MISSES"
        print(
            f"  frame -> committed p50 {statistics.median(delays):6.1f} ms, "
            f"p99 {p99:6.1f} ms ({verdict} the target of <= 50 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
