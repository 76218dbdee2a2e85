"""The command line: `alemmonitor` run as a nurse or an admin runs it, on a real record file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import main
from alemmonitor import __version__

SCRIPT = Path(sys.executable).parent / "alemmonitor"
NURSE = "AB"


@pytest.fixture
def child_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a child process: its own home, no record configured."""
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items() if name != "ALEMMONITOR_DB"}
    env["HOME"] = str(home)
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    env["ALEMMONITOR_USER"] = NURSE
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `alemmonitor` script as a shell would."""
    return subprocess.run(
        [str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=env["HOME"],
        timeout=60,
        check=False,
    )


def cli(db: Path, *args: str | Path) -> int:
    """Run `alemmonitor --db DB ...` in this process; the output is read with capsys."""
    return main.main(["--db", str(db), "--by", NURSE, *map(str, args)])


def listed(db: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The lines of `alemmonitor patients list` for this record."""
    capsys.readouterr()
    assert cli(db, "patients", "list") == 0
    return capsys.readouterr().out.splitlines()


ANNA = ("--id", "P-1001", "--name", "Anna Müller", "--dob", "1985-03-04", "--sex", "f")


def add_anna(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(db, "patients", "add", *ANNA, "--weight-kg", "64,5") == 0
    capsys.readouterr()


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- the installed script --------------------------------------------------------------------


def test_help_lists_the_patients_command(child_env: dict[str, str]) -> None:
    result = run(child_env, "--help")
    assert result.returncode == 0
    assert "patients" in result.stdout
    assert "--db PATH" in result.stdout
    assert "ALEMMONITOR_DB" in result.stdout


def test_the_import_help_says_what_a_list_must_hold(child_env: dict[str, str]) -> None:
    result = run(child_env, "patients", "import", "--help")
    assert result.returncode == 0
    assert "patient_id, name, dob" in result.stdout
    assert "nothing is imported" in result.stdout


def test_version_prints_the_version(child_env: dict[str, str]) -> None:
    result = run(child_env, "--version")
    assert (result.returncode, result.stdout) == (0, f"alemmonitor {__version__}\n")


def test_a_patient_added_is_listed(child_env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "ward.sqlite3"
    added = run(child_env, "--db", db, "patients", "add", *ANNA, "--weight-kg", "64,5")
    assert (added.returncode, added.stderr) == (0, "")
    assert added.stdout == "registered P-1001 Anna Müller (1985-03-04)\n"
    assert db.is_file()

    listing = run(child_env, "--db", db, "patients", "list")
    assert listing.returncode == 0
    assert listing.stdout.splitlines() == [
        "ID      Name         Born        Sex     Weight",
        "P-1001  Anna Müller  1985-03-04  female  64.5 kg",
    ]


def test_the_record_option_may_follow_the_command(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "ward.sqlite3"
    assert run(child_env, "patients", "add", *ANNA, "--db", db).returncode == 0
    listing = run(child_env, "patients", "list", "--db", db)
    assert "Anna Müller" in listing.stdout


def test_the_record_is_taken_from_alemmonitor_db(child_env: dict[str, str], tmp_path: Path) -> None:
    db = tmp_path / "from-env.sqlite3"
    env = child_env | {"ALEMMONITOR_DB": str(db)}
    assert run(env, "patients", "add", *ANNA).returncode == 0
    assert db.is_file()
    assert "Anna Müller" in run(child_env, "--db", db, "patients", "list").stdout


def test_the_db_option_wins_over_alemmonitor_db(child_env: dict[str, str], tmp_path: Path) -> None:
    from_env = tmp_path / "from-env.sqlite3"
    chosen = tmp_path / "chosen.sqlite3"
    env = child_env | {"ALEMMONITOR_DB": str(from_env)}
    assert run(env, "--db", chosen, "patients", "add", *ANNA).returncode == 0
    assert not from_env.exists()
    assert "Anna Müller" in run(env, "--db", chosen, "patients", "list").stdout
    assert "no patients registered" in run(env, "patients", "list").stdout


def test_without_a_choice_the_record_is_in_the_user_data_folder(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    assert run(child_env, "patients", "add", *ANNA).returncode == 0

    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import platformdirs; print(platformdirs.user_data_path('AlemMonitor', False))",
        ],
        capture_output=True,
        text=True,
        env=child_env,
        check=True,
        timeout=60,
    )
    folder = Path(where.stdout.strip())
    assert folder.is_relative_to(tmp_path)
    assert (folder / "alemmonitor.sqlite3").is_file()
    wide_help = run(child_env | {"COLUMNS": "1000"}, "--help").stdout
    assert f"default: $ALEMMONITOR_DB or {folder / 'alemmonitor.sqlite3'}" in wide_help
    assert "Anna Müller" in run(child_env, "patients", "list").stdout


@pytest.mark.parametrize(
    "command",
    [
        ["patients", "add", *ANNA],
        ["patients", "list"],
        ["patients", "import", "list.csv"],
    ],
)
def test_headless_commands_do_not_load_qt(
    child_env: dict[str, str], tmp_path: Path, command: list[str]
) -> None:
    write_csv(tmp_path / "list.csv", "patient_id,name,dob\nP-2002,Jürgen Öztürk,1970-01-31\n")
    argv = ["--db", str(tmp_path / "ward.sqlite3"), *command]
    code = (
        "import sys, main\n"
        f"code = main.main({argv!r})\n"
        "print('exit', code, 'qt', 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=child_env,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "exit 0 qt False", result.stderr


def test_an_unknown_command_is_a_usage_error(child_env: dict[str, str]) -> None:
    result = run(child_env, "admit", "P-1001")
    assert result.returncode == 2
    assert "invalid choice: 'admit'" in result.stderr
    assert run(child_env, "patients").returncode == 2
    assert run(child_env, "patients", "add", "--id", "P1").returncode == 2


def test_a_record_that_is_not_a_database_is_refused_and_left_alone(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Chair 3: call the pharmacy about the batch\n", encoding="utf-8")
    before = notes.read_bytes()

    result = run(child_env, "--db", notes, "patients", "add", *ANNA)

    assert result.returncode == 1
    assert result.stderr == (
        f"alemmonitor: {notes} is not an AlemMonitor database "
        "(not SQLite: file is not a database)\n"
    )
    assert notes.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "notes.txt"]


def test_a_list_with_old_mac_line_endings_is_not_a_crash(
    child_env: dict[str, str], tmp_path: Path
) -> None:
    db = tmp_path / "ward.sqlite3"
    mac = write_csv(tmp_path / "mac.csv", "patient_id;name;dob\rP-1001;Anna Müller;1985-03-04\r")
    result = run(child_env, "--db", db, "patients", "import", mac)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
    assert "Anna Müller" in run(child_env, "--db", db, "patients", "list").stdout


def test_an_unknown_encoding_is_not_a_crash(child_env: dict[str, str], tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", "patient_id,name,dob\nP-1001,Anna,1985-03-04\n")
    result = run(
        child_env, "--db", tmp_path / "w.sqlite3", "patients", "import", path, "--encoding", "utf-9"
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "utf-9" in result.stderr


# -- adding patients -------------------------------------------------------------------------


def test_the_same_id_is_not_registered_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    add_anna(db, capsys)
    before = listed(db, capsys)

    code = cli(
        db, "patients", "add", "--id", "P-1001", "--name", "Anna Schmidt", "--dob", "1990-01-01"
    )

    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "alemmonitor: nothing was stored:",
        "  patient_id: P-1001 is already registered (Anna Müller, born 1985-03-04)",
    ]
    assert listed(db, capsys) == before


def test_an_invalid_entry_names_every_wrong_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    code = cli(
        db,
        "patients",
        "add",
        "--id",
        "P-1001",
        "--name",
        "Anna Müller",
        "--dob",
        "1985-3-4",
        "--weight-kg",
        "700",
        "--sex",
        "female?",
    )
    assert code == 1
    assert capsys.readouterr().err.splitlines() == [
        "alemmonitor: nothing was stored:",
        "  dob: '1985-3-4' is not a date written YYYY-MM-DD",
        "  sex: 'female?' is not one of female, male, other, unknown",
        "  weight_kg: 700 kg is outside 20-300 kg",
    ]
    assert listed(db, capsys) == ["no patients registered"]


def test_a_birth_date_in_the_future_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    code = cli(db, "patients", "add", "--id", "P1", "--name", "Anna", "--dob", "2999-01-01")
    assert code == 1
    assert "dob: 2999-01-01 is in the future" in capsys.readouterr().err
    assert listed(db, capsys) == ["no patients registered"]


def test_the_list_can_be_searched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "ward.sqlite3"
    add_anna(db, capsys)
    assert (
        cli(db, "patients", "add", "--id", "4711", "--name", "Berta Weiß", "--dob", "1990-12-24")
        == 0
    )
    capsys.readouterr()

    assert cli(db, "patients", "list", "--search", "Weiß") == 0
    assert [line.split("  ")[0] for line in capsys.readouterr().out.splitlines()] == ["ID", "4711"]
    assert cli(db, "patients", "list", "--search", "Schmidt") == 0
    assert capsys.readouterr().out == "no patients registered matching 'Schmidt'\n"


def test_a_folder_as_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(tmp_path, "patients", "list") == 1
    assert capsys.readouterr().err == f"alemmonitor: {tmp_path} is a folder, not a database file\n"


# -- importing the day's list ----------------------------------------------------------------


COMMA_LIST = (
    "patient_id,name,dob,sex,weight_kg\n"
    "P-2002,Jürgen Öztürk,1970-01-31,m,81\n"
    '4711,"Weiß, Bärbel",1990-12-24,w,\n'
)
SEMICOLON_LIST = (
    "Patient ID;Name;Date of Birth;Gender;Weight\r\n"
    "P-2002;Jürgen Öztürk;1970-01-31;M;81\r\n"
    "4711;Weiß, Bärbel;1990-12-24;F;59,5\r\n"
)


@pytest.mark.parametrize(
    ("text", "weight"), [(COMMA_LIST, ""), (SEMICOLON_LIST, "59.5 kg")], ids=["comma", "semicolon"]
)
def test_the_days_list_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, weight: str
) -> None:
    db = tmp_path / "ward.sqlite3"
    path = write_csv(tmp_path / "heute.csv", text, "utf-8-sig")

    assert cli(db, "patients", "import", path) == 0

    assert capsys.readouterr().out == f"{path}: 2 patients added, 0 already registered\n"
    assert listed(db, capsys) == [
        "ID      Name           Born        Sex     Weight",
        "P-2002  Jürgen Öztürk  1970-01-31  male    81 kg",
        f"4711    Weiß, Bärbel   1990-12-24  female  {weight}".rstrip(),
    ]


def test_importing_the_same_list_again_adds_nobody(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    path = write_csv(tmp_path / "heute.csv", COMMA_LIST, "utf-8-sig")
    assert cli(db, "patients", "import", path) == 0
    first = listed(db, capsys)

    assert cli(db, "patients", "import", path) == 0

    assert capsys.readouterr().out == f"{path}: 0 patients added, 2 already registered\n"
    assert listed(db, capsys) == first


def test_a_list_adds_the_new_and_keeps_the_known_patients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    add_anna(db, capsys)
    path = write_csv(
        tmp_path / "heute.csv",
        "patient_id,name,dob\nP-1001,Anna Müller,1985-03-04\nP-2002,Jürgen Öztürk,1970-01-31\n",
    )
    assert cli(db, "patients", "import", path) == 0
    assert capsys.readouterr().out == f"{path}: 1 patients added, 1 already registered\n"
    assert [line.split()[0] for line in listed(db, capsys)] == ["ID", "P-1001", "P-2002"]


def test_a_list_with_invalid_rows_names_every_one_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    add_anna(db, capsys)
    before = listed(db, capsys)
    path = write_csv(
        tmp_path / "heute.csv",
        "patient_id;name;dob;sex;weight_kg\n"
        "P-2002;Jürgen Öztürk;1970-01-31;m;81\n"
        "P 3;Carla Schön;1980-02-30;f;64\n"
        "4711;Bärbel Weiß;1990-12-24;w;59,5\n"
        "\n"
        "P-5005;;1975-05-05;q;700\n"
        "P-6006;Dora Groß;1966-06-06\n",
        "utf-8-sig",
    )

    assert cli(db, "patients", "import", path) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"alemmonitor: {path}: nothing was stored:",
        "  line 3: patient_id: 'P 3' is not a hospital ID (letters, digits, . _ / -, at most 32)",
        "  line 3: dob: '1980-02-30' is not a date written YYYY-MM-DD",
        "  line 6: name: missing",
        "  line 6: sex: 'q' is not one of female, male, other, unknown",
        "  line 6: weight_kg: 700 kg is outside 20-300 kg",
        "  line 7: row: has 3 fields, the header has 5",
    ]
    assert listed(db, capsys) == before


def test_an_id_twice_in_the_list_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    path = write_csv(
        tmp_path / "heute.csv",
        "patient_id,name,dob\n"
        "P-2002,Jürgen Öztürk,1970-01-31\n"
        "4711,Bärbel Weiß,1990-12-24\n"
        "P-2002,Jürgen Öztürk,1970-01-31\n",
    )
    assert cli(db, "patients", "import", path) == 1
    assert capsys.readouterr().err.splitlines()[1:] == [
        "  line 4: patient_id: P-2002 is also on line 2"
    ]
    assert listed(db, capsys) == ["no patients registered"]


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("patient_id,name\nP1,Anna\n", ["  line 1: dob: column missing"]),
        (
            "patient_id,name,dob,ward\nP1,Anna,1985-03-04,3\n",
            ["  line 1: ward: unknown column"],
        ),
        ("", ["  line 1: file: is empty"]),
        ("patient_id,name,dob\n", ["  line 1: file: has a header but no patients"]),
    ],
    ids=["missing-column", "unknown-column", "empty", "header-only"],
)
def test_a_list_without_the_right_columns_or_rows_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, problems: list[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    path = write_csv(tmp_path / "heute.csv", text)
    assert cli(db, "patients", "import", path) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"alemmonitor: {path}: nothing was stored:", *problems]
    assert listed(db, capsys) == ["no patients registered"]


def test_a_list_in_windows_encoding_is_explained_and_read_when_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    path = write_csv(
        tmp_path / "heute.csv",
        "patient_id;name;dob\r\nP-2002;Jürgen Öztürk;1970-01-31\r\n",
        "cp1252",
    )

    assert cli(db, "patients", "import", path) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"alemmonitor: {path}: nothing was stored:",
        "  line 2: file: not utf-8-sig text; export as UTF-8 or pass --encoding",
    ]
    assert listed(db, capsys) == ["no patients registered"]

    assert cli(db, "patients", "import", path, "--encoding", "cp1252") == 0
    assert "Jürgen Öztürk" in listed(db, capsys)[1]


def test_a_missing_list_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gestern.csv"
    assert cli(tmp_path / "ward.sqlite3", "patients", "import", path) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"alemmonitor: {path}: nothing was stored:",
        "  file: cannot be read: No such file or directory",
    ]


def test_a_list_that_contradicts_the_record_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "ward.sqlite3"
    add_anna(db, capsys)
    before = listed(db, capsys)
    path = write_csv(
        tmp_path / "heute.csv",
        "patient_id,name,dob,sex\n"
        "P-2002,Jürgen Öztürk,1970-01-31,m\n"
        "P-1001,Anna Müller,1985-04-03,m\n",
    )

    assert cli(db, "patients", "import", path) == 1

    assert capsys.readouterr().err.splitlines() == [
        f"alemmonitor: {path}: nothing was stored:",
        (
            "  patient_id: P-1001 is registered with a different date_of_birth, sex; "
            "correct the patient in the app first"
        ),
    ]
    assert listed(db, capsys) == before
