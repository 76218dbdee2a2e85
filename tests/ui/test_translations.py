"""The window in German, driven through its real widgets; the shipped catalog against the code.

The catalog tests run the same tools `make translations` runs: lupdate over the code into a
fresh file (every text the code marks now), lrelease of the shipped catalog.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QToolBar, QToolButton
from pytestqt.qtbot import QtBot

import alemmonitor.infusion_day
from alemmonitor.alarm_rules import default_alarm_rules
from alemmonitor.clock import ManualClock
from alemmonitor.errors import SequenceError
from alemmonitor.infusion_day import EventKind
from alemmonitor.patients import PatientDraft
from alemmonitor.texts import TextEnum, text_of
from alemmonitor.ward import CHAIR_LABEL, Admission, Ward
from alemmonitor.watch import AlarmWatch
from ui.app import style_sheet
from ui.day_view import DayView
from ui.dialogs import RegisterPatientDialog
from ui.i18n import install_translators, language, message_of, translated
from ui.main_window import MainWindow
from ui.vitals_dialog import VitalsDialog

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "resources" / "i18n" / "alemmonitor_de.ts"
COMPILED = CATALOG.with_suffix(".qm")
Key = tuple[str, str, bool]  # context, source, has plural forms


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The window speaks German for one test, then English again."""
    assert install_translators(qapp, "de") == "de"
    yield
    assert install_translators(qapp, "en") == "en"


def admit(ward: Ward, clock: ManualClock) -> Admission:
    """Anna on the first chair of a record whose chairs were named in the window's language."""
    bed = ward.ensure_beds(6, "AB", label=translated(CHAIR_LABEL))[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), "AB")
    return ward.admit(
        patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="AB"
    )


# -- the window in German ---------------------------------------------------------------------


@pytest.mark.usefixtures("german")
def test_the_ward_overview_speaks_german(qtbot: QtBot, ward: Ward, clock: ManualClock) -> None:
    admit(ward, clock)
    window = MainWindow(ward, "AB")
    qtbot.addWidget(window)

    first, second = ward.beds()[:2]
    occupied, free = window.ward_view.cards[first.id], window.ward_view.cards[second.id]
    assert occupied.course_label.text() == "Zyklus 1 · Tag 1/5"
    assert occupied.step_label.text() == "Vor der Infusion"
    assert occupied.progress.text() == "0 von 100 mL"
    assert occupied.progress_label.text() == "Infusion nicht gestartet"
    assert occupied.next_label.text() == "Als Nächstes: Aciclovir 200 mg p.o."
    assert occupied.countdown_label.text() == "jetzt"
    assert occupied.discharge_button.text() == "Entlassen…"
    assert free.patient_label.text() == "Frei"
    assert free.start_button.text() == "Tag hier beginnen"
    assert [window.register_action.text(), window.start_action.text()] == [
        "Patient anlegen…",
        "Tag beginnen…",
    ]
    assert window.night_action.toolTip() == (
        "Dunkle Farben für den Nachtdienst, Verlaufskurven eingeschlossen (Strg+Umschalt+N)"
    )
    assert window.next_label.text() == (
        "Als Nächstes: Platz 1 · Anna Schmidt · Aciclovir 200 mg p.o. · jetzt"
    )

    clock.advance(timedelta(minutes=30))
    window.tick()
    assert occupied.countdown_label.text() == "30 min überfällig"


@pytest.mark.parametrize("spoken", ["en", "de"])
def test_the_demonstration_ward_s_toolbar_fits_a_ward_laptop_s_screen(
    qtbot: QtBot, qapp: QApplication, ward: Ward, spoken: str
) -> None:
    before = qapp.styleSheet()
    assert install_translators(qapp, spoken) == spoken
    qapp.setStyleSheet(style_sheet())
    try:
        window = MainWindow(ward, "AB", demo=True)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        with qtbot.waitExposed(window):
            window.show()
        toolbar = window.findChild(QToolBar, "wardToolbar")
        # Nothing is folded away behind the toolbar's » button: the banner saying this is no
        # patient record, every action, and the nurse on duty are on the screen.
        more = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
        assert not more.isVisible()
        banner = toolbar.findChild(QLabel, "demoBanner")
        assert banner.isVisible()
        assert window.nurse_field.isVisible()
        assert toolbar.geometry().contains(window.nurse_field.geometry())
    finally:
        qapp.setStyleSheet(before)
        assert install_translators(qapp, "en") == "en"


@pytest.mark.usefixtures("german")
def test_the_day_view_speaks_german(qtbot: QtBot, ward: Ward, clock: ManualClock) -> None:
    admission = admit(ward, clock)
    view = DayView(ward, AlarmWatch(ward, default_alarm_rules()))
    qtbot.addWidget(view)
    view.show_admission(admission, "AB")
    assert view.status is not None

    headers = [view.checklist.horizontalHeaderItem(c).text() for c in range(5)]
    assert headers == ["Geplant", "Schritt", "Erledigt", "Von", "Status"]
    steps = [view.checklist.item(row, 1).text() for row in range(view.checklist.rowCount())]
    assert steps[:6] == [
        "Aciclovir 200 mg p.o.",
        "Ranitidin 300 mg p.o.",
        "Desloratadin 5 mg p.o.",
        "Methylprednisolon 1000 mg i.v. starten",
        "Paracetamol 1 g i.v.",
        "Methylprednisolon beendet",
    ]
    assert "Vitalzeichen, 1 h nach Start" in steps
    assert steps[-1] == "Ende der Nachbeobachtung"
    assert view.checklist.item(0, 4).text() == "fällig"
    assert view.step_label.text() == "Vor der Infusion"
    assert view.title.text().endswith("· geb. 12.04.1988 · Zyklus 1 · Tag 1/5")
    assert view.progress_label.text().startswith("Alemtuzumab nicht gestartet; geplantes Ende ")
    actions = [button.text() for button in view.action_buttons.values()]
    assert actions == ["Methylprednisolon starten…", "Alemtuzumab starten…", "Vitalzeichen…"]
    assert view.reactions.title() == "Reaktionen und Notizen"
    windows = [button.text() for button in view.trends.window_buttons.values()]
    assert windows == ["Letzte Stunde", "4 Stunden", "Ganzer Tag"]
    axes = [plot.getAxis("left").labelText for plot in view.trends.plots]
    assert axes == ["HF /min", "RR mmHg", "Temp °C", "SpO2 %", "AF /min"]


@pytest.mark.usefixtures("german")
def test_an_engine_refusal_is_shown_in_german_and_stays_english_for_the_command_line(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    view = DayView(ward, AlarmWatch(ward, default_alarm_rules()))
    qtbot.addWidget(view)
    view.show_admission(admission, "AB")
    dialog = view.make_event_dialog(EventKind.INFUSION_PAUSED)
    qtbot.addWidget(dialog)

    box = dialog.findChild(QDialogButtonBox)
    save = box.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Speichern"  # Qt's own button, from Qt's German catalog
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    assert dialog.result() == 0
    assert dialog.error.text() == (
        "„Infusion pausiert“ kann nicht dokumentiert werden: Infusion nicht gestartet"
    )
    with pytest.raises(SequenceError) as caught:
        ward.record(admission, EventKind.INFUSION_PAUSED, by="AB")
    assert str(caught.value) == "cannot record infusion paused: the infusion is not started"
    assert message_of(caught.value) == dialog.error.text()


@pytest.mark.usefixtures("german")
def test_vital_sign_problems_are_shown_in_german(
    qtbot: QtBot, ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    dialog = VitalsDialog(ward, admission, "AB", {})
    qtbot.addWidget(dialog)
    for name, typed in {"hr": "720", "sbp": "120", "dbp": "80", "temp": "98,6"}.items():
        qtbot.keyClicks(dialog.inputs[name], typed)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.errors["hr"].text() == "720 /min ist nicht möglich — doppelt getippt?"
    assert dialog.errors["temp"].text() == ("98.6 °C ist nicht möglich — °F? 98.6 °F sind 37.0 °C")
    assert dialog.suggestion_buttons["temp"].text() == "37.0 °C übernehmen"
    assert dialog.save_button.text() == "Speichern"
    assert ward.store.query("SELECT * FROM observations") == []


@pytest.mark.usefixtures("german")
def test_registration_offers_the_sexes_in_german_and_stores_the_record_s_words(
    qtbot: QtBot, ward: Ward
) -> None:
    dialog = RegisterPatientDialog(ward, "AB")
    qtbot.addWidget(dialog)
    sex = dialog.inputs["sex"]
    qtbot.keyClicks(dialog.inputs["patient_id"], "4711")
    qtbot.keyClicks(dialog.inputs["name"], "Anna Schmidt")
    qtbot.keyClicks(dialog.inputs["dob"], "2099-01-01")
    sex.setCurrentIndex(1)  # type: ignore[union-attr]
    assert sex.currentText() == "weiblich"  # type: ignore[union-attr]
    box = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.errors["dob"].text() == "2099-01-01 liegt in der Zukunft"

    dialog.inputs["dob"].clear()  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.inputs["dob"], "1988-04-12")
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dialog.patient is not None
    assert dialog.patient.sex == "female"


def test_english_is_spoken_again_once_chosen(qapp: QApplication, ward: Ward) -> None:
    assert install_translators(qapp, "de") == "de"
    assert install_translators(qapp, "en") == "en"

    assert language() == "en"
    dialog = RegisterPatientDialog(ward, "AB")
    assert dialog.windowTitle() == "Register a patient"
    dialog.deleteLater()


@pytest.mark.usefixtures("german")
def test_a_protocol_name_without_a_translation_is_shown_as_the_file_writes_it(
    ward: Ward,
) -> None:
    title = ward.protocol.text("a site's own drug", capitalised=True)
    assert translated(title) == "A site's own drug"
    assert translated(ward.protocol.text("methylprednisolone")) == "Methylprednisolon"


# -- the catalog against the code ---------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found is not None, f"{name} is not in the environment: PySide6 installs it"
    return found


def _messages(path: Path) -> dict[Key, ET.Element]:
    root = ET.parse(path).getroot()  # noqa: S314 - our own catalog, or lupdate's output
    return {
        (
            context.findtext("name", ""),
            message.findtext("source", ""),
            "numerus" in message.attrib,
        ): (message)
        for context in root.iter("context")
        for message in context.iter("message")
    }


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    forms = translation.findall("numerusform")
    return [form.text or "" for form in forms] if forms else [translation.text or ""]


def _placeholders(text: str) -> list[str]:
    fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
    return sorted([*fields, *re.findall(r"%n", text), *re.findall(r"</?\w+>", text)])


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[Key, ET.Element]:
    """Every text the code marks for translation now, as lupdate finds it."""
    fresh = tmp_path_factory.mktemp("lupdate") / "alemmonitor_de.ts"
    subprocess.run(
        [
            _tool("pyside6-lupdate"),
            "-silent",
            "-extensions",
            "py",
            "-locations",
            "none",
            "alemmonitor",
            "ui",
            "-ts",
            str(fresh),
        ],
        cwd=ROOT,
        check=True,
    )
    return _messages(fresh)


def test_the_catalog_holds_exactly_the_texts_the_code_marks(
    extracted: dict[Key, ET.Element],
) -> None:
    shipped = _messages(CATALOG)

    assert sorted(set(extracted) - set(shipped)) == [], "run `make translations`, translate"
    assert sorted(set(shipped) - set(extracted)) == [], "run `make translations`"
    assert len(shipped) > 400


class _Marked(ast.NodeVisitor):
    """The texts the code marks, read by Python itself: self.tr in a class (its context),
    QCoreApplication.translate and QT_TRANSLATE_NOOP with literal context and text."""

    def __init__(self) -> None:
        self.found: set[Key] = set()
        self.classes: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name = ast.unparse(node.func)
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if name == "self.tr" and self.classes:
            self.found.add((self.classes[-1], literals[0], len(node.args) == 3))
        elif name in ("QCoreApplication.translate", "QT_TRANSLATE_NOOP") and len(literals) >= 2:
            self.found.add((literals[0], literals[1], len(node.args) == 4))
        self.generic_visit(node)


def test_lupdate_finds_every_text_the_code_marks(extracted: dict[Key, ET.Element]) -> None:
    marked = _Marked()
    for folder in ("alemmonitor", "ui"):
        for source in sorted((ROOT / folder).glob("*.py")):
            marked.visit(ast.parse(source.read_text(encoding="utf-8")))

    # What lupdate would miss (a text inside an f-string, an escape it does not read) or read
    # differently from Python would stay English on the screen.
    assert marked.found == set(extracted)


def test_every_text_is_translated_and_none_is_obsolete() -> None:
    for (context, source, _), message in _messages(CATALOG).items():
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, (
            f"{context}: {source!r} is {translation.get('type')}"
        )
        assert all(_translations(message)), f"{context}: {source!r} has an empty translation"


def test_translations_keep_every_placeholder_plural_and_tag_of_their_source() -> None:
    for (context, source, plural), message in _messages(CATALOG).items():
        forms = _translations(message)
        assert len(forms) == (2 if plural else 1), f"{context}: {source!r}"
        for form in forms:
            assert _placeholders(form) == _placeholders(source), f"{context}: {source!r}"


def test_every_enumeration_a_nurse_reads_is_in_the_catalog() -> None:
    shipped = _messages(CATALOG)
    enumerations = {
        kind
        for kind in vars(alemmonitor.infusion_day).values()
        if isinstance(kind, type) and issubclass(kind, TextEnum) and kind is not TextEnum
    }
    assert len(enumerations) == 4
    for kind in enumerations:
        for member in kind:
            assert (kind.__name__, member.value, False) in shipped


def test_the_compiled_catalog_is_made_from_the_shipped_one(tmp_path: Path) -> None:
    compiled = tmp_path / "alemmonitor_de.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), "-silent", str(CATALOG), "-qm", str(compiled)], check=True
    )

    assert compiled.read_bytes() == COMPILED.read_bytes(), "run `make translations`"


@pytest.mark.usefixtures("german")
def test_an_error_without_a_domain_text_is_shown_as_it_is() -> None:
    error = SequenceError("a message nobody marked")
    assert message_of(error) == "a message nobody marked"
    assert text_of(error) == "a message nobody marked"
