"""Patients: checking what is typed or imported before anything is stored.

The day's list exported from the hospital system is a CSV file; every invalid row is reported with
its line and field, and an import with any invalid row stores nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from alemmonitor.errors import EntryError, FieldProblem
from alemmonitor.texts import QT_TRANSLATE_NOOP

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
HOSPITAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,31}$")
SEXES = {
    "female": "female", "f": "female", "w": "female",
    "male": "male", "m": "male",
    "other": "other", "o": "other", "d": "other", "x": "other",
    "unknown": "unknown", "u": "unknown", "": "unknown",
}  # fmt: skip
WEIGHT_KG = (20.0, 300.0)
OLDEST_BIRTH_YEAR = 1900
_Problem = Callable[[str, str], None]
_MISSING = QT_TRANSLATE_NOOP("Patients", "missing")
CSV_FIELDS = ("patient_id", "name", "dob", "sex", "weight_kg")
REQUIRED_CSV_FIELDS = ("patient_id", "name", "dob")
# Column names as hospital systems export them, mapped to ours.
CSV_ALIASES = {
    "id": "patient_id", "mrn": "patient_id", "hospital_id": "patient_id",
    "patient_id": "patient_id", "patientid": "patient_id",
    "name": "name", "patient_name": "name",
    "dob": "dob", "date_of_birth": "dob", "birth_date": "dob", "birthdate": "dob",
    "sex": "sex", "gender": "sex",
    "weight_kg": "weight_kg", "weight": "weight_kg",
}  # fmt: skip


@dataclass(frozen=True)
class PatientDraft:
    """A patient's details, checked and ready to store."""

    hospital_id: str
    name: str
    date_of_birth: date
    sex: str = "unknown"
    weight_kg: float | None = None


@dataclass(frozen=True)
class Patient(PatientDraft):
    """A registered patient; `id` is the record's stable id."""

    id: str = ""


def check_patient(
    fields: Mapping[str, str | None], today: date, line: int | None = None
) -> PatientDraft:
    """Turn typed or imported text into a PatientDraft, or raise EntryError listing every problem.

    `fields` uses the CSV names: patient_id, name, dob, sex, weight_kg.
    """
    problems: list[FieldProblem] = []

    def problem(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message, line))

    hospital_id = (fields.get("patient_id") or "").strip()
    if not hospital_id:
        problem("patient_id", _MISSING)
    elif not HOSPITAL_ID.match(hospital_id):
        problem(
            "patient_id",
            QT_TRANSLATE_NOOP(
                "Patients", "{id} is not a hospital ID (letters, digits, . _ / -, at most 32)"
            ).format(id=repr(hospital_id)),
        )
    name = " ".join((fields.get("name") or "").split())
    if not name:
        problem("name", _MISSING)
    elif len(name) > 120:
        problem("name", QT_TRANSLATE_NOOP("Patients", "longer than 120 characters"))
    born = _check_birth_date((fields.get("dob") or "").strip(), today, problem)
    sex_text = (fields.get("sex") or "").strip().casefold()
    sex = SEXES.get(sex_text)
    if sex is None:
        problem(
            "sex",
            QT_TRANSLATE_NOOP(
                "Patients", "{sex} is not one of female, male, other, unknown"
            ).format(sex=repr(sex_text)),
        )
    weight = _check_weight((fields.get("weight_kg") or "").strip(), problem)
    if problems or born is None or sex is None:
        raise EntryError(problems)
    return PatientDraft(hospital_id, name, born, sex, weight)


def _check_birth_date(text: str, today: date, problem: _Problem) -> date | None:
    if not text:
        problem("dob", _MISSING)
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        born = date.fromisoformat(text)
    except ValueError:
        problem(
            "dob",
            QT_TRANSLATE_NOOP("Patients", "{date} is not a date written YYYY-MM-DD").format(
                date=repr(text)
            ),
        )
        return None
    if born > today:
        problem("dob", QT_TRANSLATE_NOOP("Patients", "{date} is in the future").format(date=text))
        return None
    if born.year < OLDEST_BIRTH_YEAR:
        problem(
            "dob",
            QT_TRANSLATE_NOOP("Patients", "{date} is before {year}").format(
                date=text, year=OLDEST_BIRTH_YEAR
            ),
        )
        return None
    return born


def _check_weight(text: str, problem: _Problem) -> float | None:
    if not text:
        return None
    try:
        weight = float(text.replace(",", "."))
    except ValueError:
        problem(
            "weight_kg",
            QT_TRANSLATE_NOOP("Patients", "{weight} is not a number").format(weight=repr(text)),
        )
        return None
    low, high = WEIGHT_KG
    if not low <= weight <= high:
        problem(
            "weight_kg",
            QT_TRANSLATE_NOOP("Patients", "{weight:g} kg is outside {low:g}-{high:g} kg").format(
                weight=weight, low=low, high=high
            ),
        )
        return None
    return weight


def read_patient_csv(path: Path, today: date, encoding: str = "utf-8-sig") -> list[PatientDraft]:
    """Read the day's patient list; raise EntryError naming every invalid line and field."""
    try:
        text = path.read_bytes().decode(encoding)
    except LookupError as exc:
        raise EntryError(
            [FieldProblem("encoding", f"{encoding!r} is not a text encoding Python knows")],
            str(path),
        ) from exc
    except OSError as exc:
        raise EntryError(
            [FieldProblem("file", f"cannot be read: {exc.strerror}")], str(path)
        ) from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise EntryError(
            [
                FieldProblem(
                    "file", f"not {encoding} text; export as UTF-8 or pass --encoding", line
                )
            ],
            str(path),
        ) from exc
    return parse_patient_csv(text, today, str(path))


def parse_patient_csv(text: str, today: date, source: str) -> list[PatientDraft]:
    """Check the rows of a patient list given as text; see `read_patient_csv`."""
    if not text.strip():
        raise EntryError([FieldProblem("file", "is empty", 1)], source)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text.splitlines()[0], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    # newline="" lets the csv module handle every line ending (CR-only from old Mac exports too).
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header = [CSV_ALIASES.get(_column_key(name), _column_key(name)) for name in next(reader)]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise EntryError(
            [FieldProblem(name, "more than one column holds this field", 1) for name in repeated],
            source,
        )
    missing = [name for name in REQUIRED_CSV_FIELDS if name not in header]
    unknown = [name for name in header if name not in CSV_FIELDS]
    if missing or unknown:
        problems = [FieldProblem(name, "column missing", 1) for name in missing]
        problems += [FieldProblem(name, "unknown column", 1) for name in unknown]
        raise EntryError(problems, source)

    drafts: list[PatientDraft] = []
    problems = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                FieldProblem("row", f"has {len(row)} fields, the header has {len(header)}", line)
            )
            continue
        try:
            draft = check_patient(dict(zip(header, row, strict=True)), today, line)
        except EntryError as exc:
            problems.extend(exc.problems)
            continue
        if draft.hospital_id in seen:
            problems.append(
                FieldProblem(
                    "patient_id",
                    f"{draft.hospital_id} is also on line {seen[draft.hospital_id]}",
                    line,
                )
            )
            continue
        seen[draft.hospital_id] = line
        drafts.append(draft)
    if problems:
        raise EntryError(problems, source)
    if not drafts:
        raise EntryError([FieldProblem("file", "has a header but no patients", 1)], source)
    return drafts


def _column_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().casefold()).strip("_")


def differences(stored: PatientDraft, incoming: PatientDraft) -> list[str]:
    """The fields in which two sets of a patient's details disagree."""
    names: Iterable[str] = ("name", "date_of_birth", "sex", "weight_kg")
    return [
        name
        for name in names
        if getattr(incoming, name) not in (None, "unknown")
        and getattr(stored, name) != getattr(incoming, name)
    ]
