"""Checking a patient's details and the day's patient list before anything is stored."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from alemmonitor.errors import EntryError
from alemmonitor.patients import PatientDraft, check_patient, parse_patient_csv, read_patient_csv

TODAY = date(2026, 11, 23)


def fields(**changes: str) -> dict[str, str]:
    """A valid entry with `changes` applied."""
    entry = {
        "patient_id": "P-1001",
        "name": "Anna Müller",
        "dob": "1985-03-04",
        "sex": "f",
        "weight_kg": "64",
    }
    entry.update(changes)
    return entry


def refused(entry: dict[str, str], *, line: int | None = None) -> dict[str, str]:
    """The problems of a refused entry, by field."""
    with pytest.raises(EntryError) as caught:
        check_patient(entry, TODAY, line)
    return {problem.field: problem.message for problem in caught.value.problems}


def test_a_valid_entry_becomes_a_draft() -> None:
    assert check_patient(fields(), TODAY) == PatientDraft(
        "P-1001", "Anna Müller", date(1985, 3, 4), "female", 64.0
    )


def test_surrounding_and_repeated_spaces_are_dropped() -> None:
    draft = check_patient(
        fields(patient_id="  P-1001 ", name="  Anna   Müller ", dob=" 1985-03-04 ", sex=" F "),
        TODAY,
    )
    assert (draft.hospital_id, draft.name, draft.date_of_birth, draft.sex) == (
        "P-1001",
        "Anna Müller",
        date(1985, 3, 4),
        "female",
    )


# -- date of birth ---------------------------------------------------------------------------


@pytest.mark.parametrize("born", ["2026-11-23", "1900-01-01", "2000-02-29"])
def test_dates_of_birth_up_to_today_are_accepted(born: str) -> None:
    assert check_patient(fields(dob=born), TODAY).date_of_birth == date.fromisoformat(born)


def test_a_birth_date_tomorrow_is_refused() -> None:
    assert refused(fields(dob="2026-11-24")) == {"dob": "2026-11-24 is in the future"}


def test_a_birth_date_before_1900_is_refused() -> None:
    assert refused(fields(dob="1899-12-31")) == {"dob": "1899-12-31 is before 1900"}


@pytest.mark.parametrize(
    "written",
    [
        "1985-3-4",
        "19850304",
        "04.03.1985",
        "1985/03/04",
        "1985-02-30",
        "1985-13-01",
        "1985-03-04T10:00",
        "1985-W10-1",
        "1985-063",
        "85-03-04",
    ],
)
def test_a_birth_date_not_written_yyyy_mm_dd_is_refused(written: str) -> None:
    assert refused(fields(dob=written)) == {"dob": f"{written!r} is not a date written YYYY-MM-DD"}


def test_a_missing_birth_date_is_refused() -> None:
    assert refused(fields(dob="  ")) == {"dob": "missing"}


# -- weight ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kg"),
    [("20", 20.0), ("300", 300.0), ("64,5", 64.5), ("64.5", 64.5), (" 72 ", 72.0)],
)
def test_weights_from_20_to_300_kg_are_accepted(written: str, kg: float) -> None:
    assert check_patient(fields(weight_kg=written), TODAY).weight_kg == kg


def test_the_weight_may_be_left_out() -> None:
    assert check_patient(fields(weight_kg=""), TODAY).weight_kg is None


@pytest.mark.parametrize("written", ["19.9", "300.1", "0", "-64", "700", "nan", "inf"])
def test_impossible_weights_are_refused(written: str) -> None:
    problems = refused(fields(weight_kg=written))
    assert list(problems) == ["weight_kg"]
    assert "outside 20-300 kg" in problems["weight_kg"]


@pytest.mark.parametrize("written", ["64 kg", "sixty", "64,5,0"])
def test_a_weight_that_is_not_a_number_is_refused(written: str) -> None:
    assert refused(fields(weight_kg=written)) == {"weight_kg": f"{written!r} is not a number"}


# -- sex -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "sex"),
    [
        ("f", "female"),
        ("F", "female"),
        ("w", "female"),
        ("W", "female"),
        ("female", "female"),
        ("m", "male"),
        ("Male", "male"),
        ("d", "other"),
        ("x", "other"),
        ("o", "other"),
        ("other", "other"),
        ("u", "unknown"),
        ("unknown", "unknown"),
        ("", "unknown"),
        ("   ", "unknown"),
    ],
)
def test_sex_is_read_from_the_usual_abbreviations(written: str, sex: str) -> None:
    assert check_patient(fields(sex=written), TODAY).sex == sex


@pytest.mark.parametrize("written", ["q", "weiblich", "fm", "1"])
def test_an_unknown_sex_is_refused(written: str) -> None:
    problems = refused(fields(sex=written))
    assert list(problems) == ["sex"]
    assert "female, male, other, unknown" in problems["sex"]


# -- hospital ID and name --------------------------------------------------------------------


@pytest.mark.parametrize(
    "hospital_id", ["12345678", "P-1001", "a.b_c/d-1", "X", "A" * 32, "0/2026"]
)
def test_hospital_ids_of_letters_digits_and_separators_are_accepted(hospital_id: str) -> None:
    assert check_patient(fields(patient_id=hospital_id), TODAY).hospital_id == hospital_id


@pytest.mark.parametrize(
    "hospital_id", ["A" * 33, "-P1", ".P1", "P 1", "P1;", "Ä1", "P1\n2", "P#1"]
)
def test_other_hospital_ids_are_refused(hospital_id: str) -> None:
    problems = refused(fields(patient_id=hospital_id))
    assert list(problems) == ["patient_id"]
    assert "is not a hospital ID" in problems["patient_id"]


def test_a_missing_hospital_id_is_refused() -> None:
    assert refused(fields(patient_id="")) == {"patient_id": "missing"}


def test_names_up_to_120_characters_are_accepted() -> None:
    assert check_patient(fields(name="A" * 120), TODAY).name == "A" * 120


def test_longer_names_and_missing_names_are_refused() -> None:
    assert refused(fields(name="A" * 121)) == {"name": "longer than 120 characters"}
    assert refused(fields(name=" \t ")) == {"name": "missing"}


def test_every_wrong_field_is_reported_at_once_with_its_line() -> None:
    with pytest.raises(EntryError) as caught:
        check_patient(
            {"patient_id": "P 1", "name": "", "dob": "1985-3-4", "sex": "q", "weight_kg": "700"},
            TODAY,
            7,
        )
    problems = caught.value.problems
    assert [p.field for p in problems] == ["patient_id", "name", "dob", "sex", "weight_kg"]
    assert {p.line for p in problems} == {7}
    assert str(problems[3]) == "line 7: sex: 'q' is not one of female, male, other, unknown"


def test_missing_optional_fields_give_an_unknown_sex_and_no_weight() -> None:
    draft = check_patient({"patient_id": "P1", "name": "Anna", "dob": "1985-03-04"}, TODAY)
    assert (draft.sex, draft.weight_kg) == ("unknown", None)


# -- the patient list (CSV) ------------------------------------------------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(EntryError) as caught:
        parse_patient_csv(text, TODAY, "list.csv")
    assert caught.value.source == "list.csv"
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_list_is_read_with_any_usual_delimiter(delimiter: str) -> None:
    rows = [
        ["patient_id", "name", "dob", "sex", "weight_kg"],
        ["P1", "Jürgen Öztürk", "1970-01-31", "m", "81"],
        ["P2", "Anna Weiß", "1985-03-04", "w", ""],
    ]
    text = "".join(delimiter.join(row) + "\r\n" for row in rows)
    assert parse_patient_csv(text, TODAY, "list.csv") == [
        PatientDraft("P1", "Jürgen Öztürk", date(1970, 1, 31), "male", 81.0),
        PatientDraft("P2", "Anna Weiß", date(1985, 3, 4), "female", None),
    ]


def test_a_semicolon_list_may_use_decimal_commas_and_a_comma_list_quotes() -> None:
    semicolons = "patient_id;name;dob;weight_kg\nP1;Müller, Anna;1985-03-04;64,5\n"
    commas = 'patient_id,name,dob,weight_kg\nP1,"Müller, Anna",1985-03-04,"64,5"\n'
    expected = [PatientDraft("P1", "Müller, Anna", date(1985, 3, 4), "unknown", 64.5)]
    assert parse_patient_csv(semicolons, TODAY, "a.csv") == expected
    assert parse_patient_csv(commas, TODAY, "b.csv") == expected


def test_columns_are_found_by_the_names_hospital_systems_export() -> None:
    text = "MRN;Patient Name;Date of Birth;Gender;Weight\n4711;Anna Weiß;1985-03-04;F;60\n"
    assert parse_patient_csv(text, TODAY, "list.csv") == [
        PatientDraft("4711", "Anna Weiß", date(1985, 3, 4), "female", 60.0)
    ]


def test_columns_may_come_in_any_order() -> None:
    text = "dob,name,patient_id\n1985-03-04,Anna,P1\n"
    assert parse_patient_csv(text, TODAY, "list.csv")[0].hospital_id == "P1"


def test_blank_lines_are_skipped_and_lines_are_counted_as_in_an_editor() -> None:
    text = "patient_id,name,dob\n\nP1,Anna,1985-03-04\n,,\n   \nP2,Berta,1985-3-4\n"
    assert problems_of(text) == ["line 6: dob: '1985-3-4' is not a date written YYYY-MM-DD"]


def test_every_invalid_row_is_reported_with_its_line_and_field() -> None:
    text = (
        "patient_id;name;dob;sex;weight_kg\n"
        "P1;Anna;1985-03-04;f;64\n"
        "P2;Berta;2030-01-01;f;64\n"
        "P3;Carla;1980-01-01;f;64\n"
        "P4;;1980-01-01;q;700\n"
        "P5;Dora;1980-01-01\n"
    )
    assert problems_of(text) == [
        "line 3: dob: 2030-01-01 is in the future",
        "line 5: name: missing",
        "line 5: sex: 'q' is not one of female, male, other, unknown",
        "line 5: weight_kg: 700 kg is outside 20-300 kg",
        "line 6: row: has 3 fields, the header has 5",
    ]


def test_a_line_inside_a_quoted_name_counts() -> None:
    text = 'patient_id,name,dob\nP1,"Anna\nMüller",1985-03-04\nP2,Berta,x\n'
    assert problems_of(text) == ["line 4: dob: 'x' is not a date written YYYY-MM-DD"]


def test_an_id_twice_in_one_list_is_reported_on_its_second_line() -> None:
    text = "patient_id,name,dob\nP1,Anna,1985-03-04\nP2,Berta,1980-01-01\nP1,Anna,1985-03-04\n"
    assert problems_of(text) == ["line 4: patient_id: P1 is also on line 2"]


def test_missing_and_unknown_columns_are_named() -> None:
    assert problems_of("patient_id,name,ward\nP1,Anna,3\n") == [
        "line 1: dob: column missing",
        "line 1: ward: unknown column",
    ]


def test_two_columns_for_the_same_field_are_refused() -> None:
    problems = problems_of("MRN,Patient ID,name,dob\n4711,P-1001,Anna,1985-03-04\n")
    assert len(problems) == 1
    assert problems[0].startswith("line 1: patient_id: ")


def test_an_empty_list_and_a_header_alone_are_refused() -> None:
    assert problems_of("") == ["line 1: file: is empty"]
    assert problems_of(" \n\n") == ["line 1: file: is empty"]
    assert problems_of("patient_id,name,dob\n\n") == ["line 1: file: has a header but no patients"]


def test_a_list_saved_with_old_mac_line_endings_is_read() -> None:
    text = "patient_id;name;dob\rP1;Anna;1985-03-04\rP2;Berta;1980-01-01\r"
    assert [d.hospital_id for d in parse_patient_csv(text, TODAY, "mac.csv")] == ["P1", "P2"]


def test_a_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("patient_id;name;dob\nP1;Jürgen Öztürk;1970-01-31\n".encode("utf-8-sig"))
    assert read_patient_csv(path, TODAY)[0].name == "Jürgen Öztürk"


def test_a_file_in_another_encoding_names_the_line_it_stumbled_on(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(
        "patient_id;name;dob\nP1;Anna;1985-03-04\nP2;Jürgen;1970-01-31\n".encode("cp1252")
    )
    with pytest.raises(EntryError) as caught:
        read_patient_csv(path, TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "line 3: file: not utf-8-sig text; export as UTF-8 or pass --encoding"
    ]
    assert read_patient_csv(path, TODAY, "cp1252")[1].name == "Jürgen"


def test_a_mixed_encoding_after_a_byte_order_mark_names_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(
        "patient_id;name;dob\n".encode("utf-8-sig") + "P;Änna;1985-03-04\n".encode("cp1252")
    )
    with pytest.raises(EntryError) as caught:
        read_patient_csv(path, TODAY)
    assert [p.line for p in caught.value.problems] == [2]


def test_an_unknown_encoding_is_reported_as_an_entry_problem(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("patient_id,name,dob\nP1,Anna,1985-03-04\n", encoding="utf-8")
    with pytest.raises(EntryError) as caught:
        read_patient_csv(path, TODAY, "utf-9")
    assert "utf-9" in str(caught.value)


def test_an_unreadable_file_is_reported_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"
    with pytest.raises(EntryError) as caught:
        read_patient_csv(path, TODAY)
    assert caught.value.source == str(path)
    assert [p.field for p in caught.value.problems] == ["file"]
    assert "cannot be read" in caught.value.problems[0].message


# -- properties ------------------------------------------------------------------------------


@given(st.text())
@example("patient_id,name,dob\rP1,Anna,1985-03-04\r")
@example('patient_id,name,dob\n"P1,Anna')
@example("\ufeffpatient_id\x00,name,dob\nP1,Anna,1985-03-04")
def test_any_text_is_either_a_list_or_an_entry_error(text: str) -> None:
    try:
        drafts = parse_patient_csv(text, TODAY, "fuzz.csv")
    except EntryError:
        return
    assert drafts


@given(
    st.text(alphabet=st.sampled_from(list("P1;,\t\n\r\"' -aÄ0ß"))).map(
        "patient_id,name,dob\n".__add__
    )
)
def test_any_rows_under_a_valid_header_are_either_a_list_or_an_entry_error(text: str) -> None:
    with contextlib.suppress(EntryError):
        parse_patient_csv(text, TODAY, "fuzz.csv")


CELLS = {
    "patient_id": ["P1", "P2", "4711", "X-9", "", "bad id", "P1"],
    "name": ["Anna Müller", "Jürgen Öztürk", "", "  Weiß  "],
    "dob": ["1985-03-04", "2026-11-23", "2026-11-24", "1985-3-4", "1899-12-31", ""],
    "sex": ["f", "M", "d", "", "q"],
    "weight_kg": ["64", "64,5", "300", "19.9", "", "heavy"],
}


@st.composite
def patient_lists(draw: st.DrawFn) -> tuple[str, int]:
    """A patient list with valid and invalid rows and blank lines; and its non-blank rows."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    optional = draw(st.lists(st.sampled_from(["sex", "weight_kg"]), unique=True))
    columns = draw(st.permutations(["patient_id", "name", "dob", *optional]))
    lines = [delimiter.join(columns)]
    data_rows = 0
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", " ", delimiter * len(columns), "\t "])))
        else:
            cells = [draw(st.sampled_from(CELLS[column])) for column in columns]
            lines.append(delimiter.join(cells))
            data_rows += any(cell.strip() for cell in cells)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + draw(st.sampled_from(["", ending])), data_rows


@given(patient_lists())
def test_a_list_that_is_accepted_has_one_patient_per_non_blank_row(
    generated: tuple[str, int],
) -> None:
    text, data_rows = generated
    try:
        drafts = parse_patient_csv(text, TODAY, "fuzz.csv")
    except EntryError as exc:
        refusal = exc
    else:
        assert len(drafts) == data_rows
        assert len({d.hospital_id for d in drafts}) == data_rows
        return
    assert refusal.problems
    assert all(problem.line is not None for problem in refusal.problems)
