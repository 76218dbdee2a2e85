"""The command line: one parser for the app and its headless subcommands.

`alemmonitor` alone starts the window (wired in main.py); subcommands run without a display.
Each subcommand is a function taking the parsed arguments and an `Env`; later subcommands
(capture, simulate, export, report) add themselves to `build_parser` and `COMMANDS` the same way.
What only a subcommand needs (capture, export, the simulator) is imported when it runs: the
window starts through this module too, and every module loaded costs its start.
"""

from __future__ import annotations

import argparse
import getpass
import io
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import platformdirs

from alemmonitor import __version__
from alemmonitor.clock import Clock, local_date
from alemmonitor.errors import AlemMonitorError, EntryError, FieldProblem
from alemmonitor.patients import check_patient, read_patient_csv
from alemmonitor.protocol import load_protocol
from alemmonitor.store import Store
from alemmonitor.texts import SOURCE_LANGUAGE, available_languages
from alemmonitor.ward import DEFAULT_CHAIRS, DEFAULT_UNIT, Ward
from devices.base import protocol_names

if TYPE_CHECKING:
    from alemmonitor.labs_export import LabScope

APP_NAME = "AlemMonitor"
DB_ENV = "ALEMMONITOR_DB"
USER_ENV = "ALEMMONITOR_USER"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2


def default_db_path() -> Path:
    """`ALEMMONITOR_DB` if set, else the record in the platform's user data folder."""
    configured = os.environ.get(DB_ENV)
    if configured:
        return Path(configured)
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "alemmonitor.sqlite3"


def build_parser() -> argparse.ArgumentParser:
    """The parser for `alemmonitor` and all its subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=f"the record (SQLite file); default: ${DB_ENV} or {default_db_path()}",
    )
    common.add_argument(
        "--protocol-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="the site's protocol file (default: the shipped Dresden protocol)",
    )
    common.add_argument(
        "--by",
        default=argparse.SUPPRESS,
        metavar="INITIALS",
        help=f"initials of whoever makes the entries (default: ${USER_ENV}; commands fall back "
        "to the login name, the window asks)",
    )

    parser = argparse.ArgumentParser(
        prog="alemmonitor",
        description="Watches over patients on alemtuzumab infusion days. Without a command, "
        "opens the ward window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a demonstration ward in a temporary record (your record is not touched)",
    )
    parser.add_argument(
        "--lang",
        type=_language,
        metavar="|".join(available_languages()),
        help="the window's language (default: the system's); commands always speak English",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    _add_patient_commands(commands, common)
    _add_device_commands(commands, common)
    _add_export_command(commands, common)
    _add_report_command(commands, common)
    return parser


def _add_patient_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`patients add|list|import`."""
    patients = commands.add_parser(
        "patients", help="register, list and import patients", parents=[common]
    )
    patient_commands = patients.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = patient_commands.add_parser("add", help="register one patient", parents=[common])
    add.add_argument("--id", required=True, dest="patient_id", help="hospital patient ID")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument("--dob", required=True, help="date of birth, YYYY-MM-DD")
    add.add_argument("--sex", default="", help="female, male, other or unknown")
    add.add_argument("--weight-kg", default="", dest="weight_kg", help="body weight in kg")
    add.set_defaults(run=_patients_add)
    listing = patient_commands.add_parser("list", help="list registered patients", parents=[common])
    listing.add_argument("--search", default="", help="only IDs or names containing this")
    listing.set_defaults(run=_patients_list)
    importing = patient_commands.add_parser(
        "import",
        help="register the day's list exported from the hospital system (CSV)",
        parents=[common],
        description="Columns: patient_id, name, dob (YYYY-MM-DD), and optionally sex, weight_kg. "
        "Comma, semicolon or tab separated. If any row is invalid, nothing is imported.",
    )
    importing.add_argument("file", type=Path, metavar="FILE.csv")
    importing.add_argument("--encoding", default="utf-8-sig", help="text encoding of the file")
    importing.set_defaults(run=_patients_import)


def _add_device_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`capture` and `simulate`."""
    capture = commands.add_parser(
        "capture",
        parents=[common],
        help="store a monitor's readings: live from a port, or replayed from a raw capture",
        description="Reads a bedside monitor and stores its readings for the patient on a "
        "chair; ends with a summary of frames decoded and rejected and readings stored.",
    )
    capture.add_argument(
        "--protocol",
        dest="monitor",
        required=True,
        metavar="NAME",
        help=f"monitor protocol: {', '.join(protocol_names())}",
    )
    source = capture.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--port", metavar="URL", help="serial port or URL: /dev/ttyUSB0, COM3, socket://host:port"
    )
    source.add_argument(
        "--replay", type=Path, metavar="FILE", help="a raw byte capture of the monitor's output"
    )
    capture.add_argument("--bed", required=True, help="the chair: its name or number")
    capture.add_argument(
        "--patient",
        metavar="ID",
        help="hospital ID of the patient (default: whoever is on the chair)",
    )
    capture.add_argument(
        "--seconds",
        type=float,
        metavar="N",
        help="stop after N seconds (default: run until Ctrl+C)",
    )
    capture.add_argument("--baud", type=int, help="override the protocol's baud rate")
    capture.add_argument("--parity", choices=["N", "E", "O"], help="override the parity")
    capture.add_argument(
        "--rtscts",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="override RTS/CTS flow control",
    )
    capture.set_defaults(run=_capture)

    simulate = commands.add_parser(
        "simulate",
        parents=[common],
        formatter_class=_ScenarioHelp,
        help="act as a bedside monitor on a pseudo-terminal or serial port, for tests and demos",
        description="Plays a physiologically plausible scenario as the monitor would send it, "
        "answering queries like the real device. Without --port it opens a pseudo-terminal and "
        "prints the path to connect to.",
    )
    simulate.add_argument(
        "--protocol",
        dest="monitor",
        required=True,
        metavar="NAME",
        help=f"monitor protocol: {', '.join(protocol_names())}",
    )
    simulate.add_argument(
        "--scenario", default="stable", help=f"one of: {_SCENARIOS} (default: stable)"
    )
    simulate.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="X",
        help="scenario time runs X times faster than real time",
    )
    simulate.add_argument(
        "--port",
        metavar="URL",
        help="a path where a link to the pseudo-terminal is kept (stable across restarts, like "
        "a re-plugged adapter), or a serial port / URL to send on (e.g. /dev/ttyUSB1 with a "
        "null-modem cable)",
    )
    simulate.add_argument(
        "--hl7-mode",
        choices=["query", "unsolicited"],
        default="query",
        help="hl7: answer QRY like a Philips Efficia CM, or send ORU^R01 unasked",
    )
    simulate.add_argument("--seconds", type=float, metavar="N", help="stop after N seconds")
    simulate.set_defaults(run=_simulate)


_SCENARIOS = "{scenarios}"


class _ScenarioHelp(argparse.HelpFormatter):
    """Names the simulator's scenarios in `simulate --help`, loading the simulator only then."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is None or _SCENARIOS not in text:
            return text
        from devices.simulator import SCENARIOS  # noqa: PLC0415 - see the module's docstring

        return text.replace(_SCENARIOS, ", ".join(SCENARIOS))


def _add_export_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """`export`."""
    export = commands.add_parser(
        "export",
        parents=[common],
        help="export stored data for the hospital's systems",
        description="CSV: one row per item of the kind chosen with --what. FHIR: a JSON Bundle "
        "of everything selected. --date, --bed and --patient narrow the selection; without "
        "them, everything stored is exported. Times are ISO 8601 with their UTC offset. The "
        "file appears whole or not at all. Options that do not go together exit with status "
        "2, an unknown chair or patient with 1; either way nothing is written.",
    )
    export.add_argument(
        "--format",
        choices=["csv", "fhir"],
        default="csv",
        dest="export_format",
        help="csv: one row per item (default); fhir: a FHIR R4 JSON Bundle of the infusion days "
        "(Patient, vital-sign Observations, MedicationAdministration, AdverseEvent), the blood "
        "results (laboratory Observations, LOINC-coded) and the follow-up plans of the patients "
        "in it (a CarePlan per course, a ServiceRequest per test due)",
    )
    export.add_argument(
        "--what",
        choices=list(_CSV_KINDS),
        help="csv only: which rows. vitals: one per stored value (default); events: one per "
        "recorded event; reactions: one per CTCAE reaction; labs: one per blood result as it "
        "stands (LOINC code, value in its UCUM unit, reference range, flag, CTCAE grade, "
        "correction); followup: one per test of a follow-up plan (due date, state, results)",
    )
    export.add_argument(
        "--device-values",
        action="store_true",
        help="fhir only: every monitor value as an Observation, not only the charted sets",
    )
    export.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="only this day of the ward's calendar: its infusion days and the samples taken on "
        "it; with --what followup, the tests due on it",
    )
    export.add_argument(
        "--bed",
        help="only the infusion days on this chair (its name or number), with their samples; "
        "not with --what followup (follow-up has no chair)",
    )
    export.add_argument(
        "--patient",
        metavar="ID",
        help="only this patient (hospital ID): their infusion days, all their blood results "
        "including follow-up, and their follow-up plans",
    )
    export.add_argument(
        "--patient-id-system",
        type=_identifier_system,
        metavar="URI",
        help="fhir only: the hospital's system of patient IDs (a URI, such as "
        "http://hospital.example/patient-id or urn:oid:1.2.3), given with each Patient's "
        "hospital ID so that the receiving system knows whose IDs they are",
    )
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: stdout)")
    export.set_defaults(run=_export)


def _add_report_command(commands: Any, common: argparse.ArgumentParser) -> None:
    """`report`."""
    report = commands.add_parser(
        "report",
        parents=[common],
        help="write the end-of-day PDF of a patient, or the unit summary and every patient's PDF; "
        "or a patient's follow-up PDF",
        description="Writes the PDF record of a patient's infusion day (A4, fonts embedded). "
        "Without --patient: the unit summary of the date (one page per patient) to --out, and "
        "each patient's PDF beside it (report-DATE-ID.pdf). With --followup: the patient's "
        "follow-up after the course (its plan, tests and results). Files appear whole or not "
        "at all.",
    )
    report.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day (the ward's calendar); needed for the end-of-day PDF; for --followup the "
        "day the tests' states are read on (default: today)",
    )
    report.add_argument("--patient", metavar="ID", help="hospital ID of the patient")
    report.add_argument(
        "--followup",
        action="store_true",
        help="the patient's follow-up PDF instead of the end of day (needs --patient)",
    )
    report.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="the PDF to write (default: report-DATE.pdf, report-DATE-ID.pdf or "
        "followup-DATE-ID.pdf here)",
    )
    report.add_argument(
        "--unit",
        default=DEFAULT_UNIT,
        help=f"the unit's name in the header (default: {DEFAULT_UNIT})",
    )
    report.add_argument(
        "--lang",
        type=_language,
        default=SOURCE_LANGUAGE,
        dest="report_lang",
        metavar="|".join(available_languages()),
        help="the report's language (default: en)",
    )
    report.set_defaults(run=_report)


def _language(text: str) -> str:
    wanted = text.strip().casefold()
    known = available_languages()
    if wanted not in known:
        raise argparse.ArgumentTypeError(
            f"AlemMonitor does not speak {text!r}; the languages are: {', '.join(known)}"
        )
    return wanted


def _iso_date(text: str) -> date:
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


_ABSOLUTE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
"""A scheme, a colon and more (RFC 3986), without spaces: what FHIR takes as a system."""


def _identifier_system(text: str) -> str:
    if not _ABSOLUTE_URI.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an absolute URI (such as http://hospital.example/patient-id "
            "or urn:oid:1.2.3)"
        )
    return text


@dataclass
class Env:
    """What a command needs from the outside world; tests pass their own."""

    clock: Clock
    out: TextIO
    err: TextIO


def resolve(args: argparse.Namespace) -> argparse.Namespace:
    """Fill in the defaults of the options shared by all commands."""
    if getattr(args, "db", None) is None:
        args.db = default_db_path()
    if getattr(args, "protocol_file", None) is None:
        args.protocol_file = None
    if not getattr(args, "by", None):
        args.by = os.environ.get(USER_ENV) or ""
    if not args.by and args.command is not None:
        # A headless command is run by somebody logged in; the window asks for initials instead.
        args.by = getpass.getuser()
    return args


def open_ward(args: argparse.Namespace, clock: Clock) -> Ward:
    """Open the record and the protocol named by the arguments."""
    protocol = load_protocol(args.protocol_file)
    store = Store.open(args.db, clock)
    return Ward(store, protocol, clock)


def run_command(args: argparse.Namespace, env: Env) -> int:
    """Run a headless subcommand; every error the user can fix is printed, not raised."""
    command: Callable[[argparse.Namespace, Env], int] = args.run
    try:
        return command(args, env)
    except EntryError as exc:
        where = f"{exc.source}: " if exc.source else ""
        print(f"alemmonitor: {where}nothing was stored:", file=env.err)
        for problem in exc.problems:
            print(f"  {problem}", file=env.err)
        return EXIT_ERROR
    except AlemMonitorError as exc:
        print(f"alemmonitor: {exc}", file=env.err)
        return EXIT_ERROR


def _patients_add(args: argparse.Namespace, env: Env) -> int:
    ward = open_ward(args, env.clock)
    with ward.store:
        today = local_date(env.clock, env.clock.now())
        draft = check_patient(
            {
                "patient_id": args.patient_id,
                "name": args.name,
                "dob": args.dob,
                "sex": args.sex,
                "weight_kg": args.weight_kg,
            },
            today,
        )
        patient = ward.register_patient(draft, args.by)
    print(
        f"registered {patient.hospital_id} {patient.name} ({patient.date_of_birth})", file=env.out
    )
    return EXIT_OK


def _patients_list(args: argparse.Namespace, env: Env) -> int:
    ward = open_ward(args, env.clock)
    with ward.store:
        patients = ward.patients(args.search)
    if not patients:
        print(
            "no patients registered" + (f" matching {args.search!r}" if args.search else ""),
            file=env.out,
        )
        return EXIT_OK
    rows = [("ID", "Name", "Born", "Sex", "Weight")]
    rows += [
        (
            p.hospital_id,
            p.name,
            p.date_of_birth.isoformat(),
            p.sex,
            f"{p.weight_kg:g} kg" if p.weight_kg else "",
        )
        for p in patients
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=env.out,
        )
    return EXIT_OK


def _patients_import(args: argparse.Namespace, env: Env) -> int:
    today = local_date(env.clock, env.clock.now())
    drafts = read_patient_csv(args.file, today, args.encoding)
    ward = open_ward(args, env.clock)
    with ward.store:
        result = ward.import_patients(drafts, args.by, str(args.file))
    print(
        f"{args.file}: {len(result.added)} patients added, "
        f"{len(result.unchanged)} already registered",
        file=env.out,
    )
    return EXIT_OK


def _capture(args: argparse.Namespace, env: Env) -> int:
    from alemmonitor.capture import capture_live, make_driver, replay  # noqa: PLC0415

    make_driver(args.monitor)  # an unknown protocol is named before anything is opened
    ward = open_ward(args, env.clock)
    with ward.store:
        ward.ensure_beds(DEFAULT_CHAIRS, args.by)
        bed = ward.find_bed(args.bed)
        admission = None
        if args.patient:
            patient = ward.patient(args.patient)
            if patient is None:
                raise EntryError([FieldProblem("patient", f"no patient {args.patient!r}")])
            admission = ward.admission_today(patient)
            if admission is None:
                raise EntryError(
                    [
                        FieldProblem(
                            "patient", f"{patient.name} has no infusion day today; start it first"
                        )
                    ]
                )
        if args.replay is not None:
            summary = replay(ward, args.monitor, args.replay, bed, admission)
            origin = str(args.replay)
        else:
            overrides = {"baudrate": args.baud, "parity": args.parity, "rtscts": args.rtscts}
            print(
                f"capturing {args.monitor} from {args.port} for {bed.label}; Ctrl+C ends",
                file=env.err,
            )
            summary = capture_live(
                ward,
                args.monitor,
                args.port,
                bed,
                admission,
                seconds=args.seconds,
                serial_overrides=overrides,
            )
            origin = args.port
    who = f" ({admission.patient.name}, {admission.patient.hospital_id})" if admission else ""
    print(f"{args.monitor} from {origin} to {bed.label}{who}", file=env.out)
    for line in summary.lines():
        print(line, file=env.out)
    return EXIT_OK


def _simulate(args: argparse.Namespace, env: Env) -> int:
    from alemmonitor.capture import CaptureError, make_driver  # noqa: PLC0415
    from devices.session import open_port  # noqa: PLC0415
    from devices.simulator import (  # noqa: PLC0415
        SCENARIOS,
        SimulatedMonitor,
        make_scenario,
        run_simulator,
    )

    line = make_driver(args.monitor).serial
    if args.scenario not in SCENARIOS:
        raise EntryError(
            [
                FieldProblem(
                    "scenario", f"no scenario {args.scenario!r}; known: {', '.join(SCENARIOS)}"
                )
            ]
        )
    if not args.speed > 0:
        raise EntryError([FieldProblem("speed", "must be above 0")])
    stop = threading.Event()
    if args.seconds is not None:
        threading.Timer(args.seconds, stop.set).start()
    port = args.port
    serve_on_port = port is not None and ("://" in port or _is_device(Path(port)))

    def ready(path: Path) -> None:
        print(
            f"{args.monitor} monitor ({args.scenario}, speed {args.speed:g}) on {path}",
            file=env.out,
            flush=True,
        )

    try:
        if serve_on_port:
            monitor = SimulatedMonitor(
                args.monitor, make_scenario(args.scenario), speed=args.speed, hl7_mode=args.hl7_mode
            )
            try:
                # The monitor's own line settings, which the app expects of it.
                connection = open_port(port, line, timeout=0.05)
            except (OSError, ValueError) as exc:
                raise CaptureError(f"cannot open port {port}: {exc}") from exc
            ready(Path(port))
            try:
                monitor.run(connection, stop)
            finally:
                connection.close()
            stats = monitor.stats
        else:
            stats = run_simulator(
                args.monitor,
                args.scenario,
                args.speed,
                link=Path(port) if port else None,
                stop=stop,
                on_ready=ready,
                hl7_mode=args.hl7_mode,
            )
    except KeyboardInterrupt:
        print("stopped", file=env.out)
        return EXIT_OK
    except OSError as exc:
        raise CaptureError(f"cannot serve the simulated monitor: {exc}") from exc
    finally:
        stop.set()
    print(
        f"sent {stats.sent} frames, answered {stats.queries_answered} queries, "
        f"rejected {stats.rejected}",
        file=env.out,
    )
    return EXIT_OK


def _is_device(path: Path) -> bool:
    return path.exists() and not path.is_symlink() and path.is_char_device()


_CSV_KINDS = {
    "vitals": "values",
    "events": "events",
    "reactions": "reactions",
    "labs": "results",
    "followup": "tests",
}


def _export_misuse(args: argparse.Namespace) -> str | None:
    """What is wrong with the combination of export options, if anything."""
    if args.export_format == "fhir" and args.what is not None:
        return "--what chooses the rows of a CSV export; a FHIR Bundle holds everything selected"
    if args.export_format == "csv" and args.device_values:
        return "--device-values is for --format fhir; the CSV of vitals has every stored value"
    if args.export_format == "csv" and args.patient_id_system is not None:
        return "--patient-id-system is for --format fhir; a CSV row holds the hospital ID alone"
    if args.what == "followup" and args.bed is not None:
        return "--bed cannot select follow-up tests: they are not given on a chair"
    return None


def _export(args: argparse.Namespace, env: Env) -> int:
    from alemmonitor.export import atomic_text_file  # noqa: PLC0415

    misuse = _export_misuse(args)
    if misuse is not None:
        print(f"alemmonitor export: error: {misuse}; nothing was written", file=env.err)
        return EXIT_USAGE
    ward = open_ward(args, env.clock)
    with ward.store:
        text, count, unit = _export_text(args, ward, env.clock)
    if args.out is None:
        env.out.write(text)
    else:
        with atomic_text_file(args.out) as out:
            out.write(text)
        print(f"{args.out}: {count} {unit}", file=env.err)
    return EXIT_OK


def _export_text(args: argparse.Namespace, ward: Ward, clock: Clock) -> tuple[str, int, str]:
    """The export's text, how many items it holds and what they are."""
    from alemmonitor.export import ExportError, write_csv  # noqa: PLC0415
    from alemmonitor.fhir import (  # noqa: PLC0415
        LabsForExport,
        bundle_json,
        days_for_export,
        fhir_bundle,
    )
    from alemmonitor.labs_export import (  # noqa: PLC0415
        LabScope,
        plans_for_export,
        results_for_export,
        struck_out_for_export,
    )

    # An unknown chair or patient is an error, not an empty file.
    bed = ward.find_bed(args.bed).label if args.bed is not None else None
    patient = None
    if args.patient is not None:
        patient = ward.patient(args.patient)
        if patient is None:
            raise ExportError(f"no patient with the hospital ID {args.patient!r}; nothing written")
    scope = LabScope(args.date, bed, patient)
    today = local_date(clock, clock.now())
    if args.export_format == "fhir":
        admissions = [
            a
            for a in days_for_export(ward, args.date, bed)
            if patient is None or a.patient.id == patient.id
        ]
        results = results_for_export(ward, scope, admissions)
        struck_out = struck_out_for_export(ward, scope, admissions)
        # Every patient in the Bundle comes with their follow-up plans as they stand today.
        patient_ids = dict.fromkeys(
            [patient.id]
            if patient is not None
            else [a.patient.id for a in admissions]
            + [r.patient_id for r in results]
            + [s.patient_id for s in struck_out]
        )
        labs = LabsForExport(
            results=results,
            struck_out=struck_out,
            plans=plans_for_export(ward, list(patient_ids), today),
        )
        bundle = fhir_bundle(
            ward,
            admissions,
            device_values=args.device_values,
            labs=labs,
            patient_id_system=args.patient_id_system,
        )
        return bundle_json(bundle), len(bundle["entry"]), "resources"
    what = args.what or "vitals"
    rows, columns = _csv_rows(what, ward, clock, scope)
    buffer = io.StringIO()
    count = write_csv(rows, buffer, columns)
    return buffer.getvalue(), count, _CSV_KINDS[what]


def _csv_rows(
    what: str, ward: Ward, clock: Clock, scope: LabScope
) -> tuple[Iterator[tuple[str, ...]], tuple[str, ...]]:
    from alemmonitor.export import (  # noqa: PLC0415 - see the module's docstring
        CSV_COLUMNS,
        EVENT_COLUMNS,
        REACTION_COLUMNS,
        event_rows,
        reaction_rows,
        vitals_rows,
    )
    from alemmonitor.fhir import days_for_export  # noqa: PLC0415
    from alemmonitor.labs_export import (  # noqa: PLC0415
        FOLLOWUP_COLUMNS,
        LAB_COLUMNS,
        followup_rows,
        lab_rows,
        plans_for_export,
        results_for_export,
    )

    day, bed = scope.day, scope.bed
    if what == "labs":
        admissions = days_for_export(ward, day, bed) if bed is not None else []
        return lab_rows(ward, results_for_export(ward, scope, admissions)), LAB_COLUMNS
    if what == "followup":
        if scope.patient is not None:
            patient_ids = [scope.patient.id]
        else:
            patient_ids = [p.id for p in ward.patients()]
        plans = plans_for_export(ward, patient_ids, local_date(clock, clock.now()))
        return followup_rows(ward, plans, day), FOLLOWUP_COLUMNS
    patient_id = scope.patient.hospital_id if scope.patient is not None else None
    if what == "events":
        return _only_patient(event_rows(ward.store, clock, day, bed), 2, patient_id), EVENT_COLUMNS
    if what == "reactions":
        rows = reaction_rows(ward.store, clock, day, bed)
        return _only_patient(rows, 2, patient_id), REACTION_COLUMNS
    return _only_patient(vitals_rows(ward.store, clock, day, bed), 2, patient_id), CSV_COLUMNS


def _only_patient(
    rows: Iterator[tuple[str, ...]], column: int, hospital_id: str | None
) -> Iterator[tuple[str, ...]]:
    """The rows whose `column` holds the patient's hospital ID (all rows when None)."""
    return (row for row in rows if hospital_id is None or row[column] == hospital_id)


def _report(args: argparse.Namespace, env: Env) -> int:
    # The PDF machinery (reportlab) is loaded only by the command that needs it.
    from alemmonitor.report import (  # noqa: PLC0415
        ReportOptions,
        write_day_report,
        write_followup_report,
        write_unit_reports,
    )
    from alemmonitor.report_language import report_language  # noqa: PLC0415

    if args.followup and args.patient is None:
        print("alemmonitor report: --followup needs --patient ID", file=env.err)
        return EXIT_USAGE
    if not args.followup and args.date is None:
        print("alemmonitor report: the end-of-day PDF needs --date YYYY-MM-DD", file=env.err)
        return EXIT_USAGE
    options = ReportOptions(unit=args.unit, language=report_language(args.report_lang))
    ward = open_ward(args, env.clock)
    with ward.store:
        if args.followup:
            written = [write_followup_report(ward, args.patient, args.out, options, args.date)]
        elif args.patient is not None:
            written = [write_day_report(ward, args.date, args.patient, args.out, options)]
        else:
            written = write_unit_reports(ward, args.date, args.out, options)
    for path in written:
        print(path, file=env.out)
    return EXIT_OK


def main_headless(argv: Sequence[str] | None, clock: Clock) -> int:
    """Parse and run a subcommand without Qt (used by main.py when a command is given)."""
    args = resolve(build_parser().parse_args(argv))
    return run_command(args, Env(clock, sys.stdout, sys.stderr))
