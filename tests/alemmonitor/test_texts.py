"""Texts the domain writes for nurses: English words that carry what their translation needs."""

from __future__ import annotations

import copy
import pickle
from datetime import date, timedelta
from pathlib import Path

import pytest

import main
from alemmonitor.clock import ManualClock
from alemmonitor.errors import EntryError, ProtocolFileError, SequenceError
from alemmonitor.infusion_day import EventKind, InfusionState, Step
from alemmonitor.patients import PatientDraft
from alemmonitor.protocol import default_protocol_path, load_protocol, parse_protocol
from alemmonitor.texts import (
    QT_TRANSLATE_NOOP,
    Text,
    available_languages,
    joined,
    known_text,
    text_as_json,
    text_from_json,
    text_of,
)
from alemmonitor.vitals import check_vitals
from alemmonitor.ward import Admission, Ward


def admit(ward: Ward, clock: ManualClock) -> Admission:
    bed = ward.ensure_beds(6, "AB")[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), "AB")
    return ward.admit(
        patient, course_number=1, day_number=1, bed=bed, planned_start=clock.now(), by="AB"
    )


def test_a_marked_text_reads_as_english_and_keeps_its_template_and_arguments() -> None:
    text = QT_TRANSLATE_NOOP("Ward", "{chair} is taken by {name} today").format(
        chair="Chair 2", name="Anna Schmidt"
    )

    assert text == "Chair 2 is taken by Anna Schmidt today"
    assert f"{text}!" == "Chair 2 is taken by Anna Schmidt today!"
    assert (text.context, text.template) == ("Ward", "{chair} is taken by {name} today")
    assert dict(text.args) == {"chair": "Chair 2", "name": "Anna Schmidt"}


def test_placeholders_are_named_so_that_a_translation_may_reorder_them() -> None:
    with pytest.raises(TypeError, match="named"):
        QT_TRANSLATE_NOOP("Ward", "{} is taken").format("Chair 2")


def test_texts_inside_texts_and_joined_texts_stay_translatable() -> None:
    state = InfusionState.PAUSED.text
    refusal = QT_TRANSLATE_NOOP("InfusionDay", "cannot record {event}: the infusion is {state}")
    text = refusal.format(event="rate changed", state=state)
    listing = joined([QT_TRANSLATE_NOOP("Task", "batch {batch}").format(batch="L1"), "late"])

    assert text == "cannot record rate changed: the infusion is paused"
    assert text.args["state"].context == "InfusionState"
    assert listing == "batch L1, late"
    assert listing.context == ""
    assert listing.args["part0"].template == "batch {batch}"  # type: ignore[attr-defined]
    assert listing.args["part1"] == "late"


def test_a_copied_or_pickled_text_is_the_same_text() -> None:
    text = QT_TRANSLATE_NOOP("Vitals", "{value} is unusual: {why}").format(value="41 /min", why="x")
    data = Text.data("platelet count", {"de": "Thrombozyten"})

    for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):  # noqa: S301 - our own
        assert again == text
        assert (again.context, again.template, dict(again.args)) == (
            "Vitals",
            "{value} is unusual: {why}",
            {"value": "41 /min", "why": "x"},
        )
    assert dict(copy.copy(data).translations) == {"de": "Thrombozyten"}


def test_a_stored_text_comes_back_whole_to_be_read_in_any_language() -> None:
    band = QT_TRANSLATE_NOOP("News2", "high")
    drug = Text.data("paracetamol", {"de": "Paracetamol i.v."})
    text = QT_TRANSLATE_NOOP("Alarm", "NEWS2 {score} ({band}) after {drug}: {temp:.1f} °C").format(
        score=7, band=band, drug=joined([drug, "IV"]), temp=38.25
    )

    stored = text_as_json(text)
    assert stored is not None
    again = text_from_json(stored, str(text))

    assert again == text == "NEWS2 7 (high) after paracetamol, IV: 38.2 °C"
    assert isinstance(again, Text)
    assert (again.context, again.template) == ("Alarm", text.template)
    assert again.args["band"].context == "News2"  # type: ignore[attr-defined]
    drug_again = again.args["drug"].args["part0"]  # type: ignore[attr-defined]
    assert dict(drug_again.translations) == {"de": "Paracetamol i.v."}
    assert text_as_json("plain words") is None


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "[]",
        '{"template": "no context"}',
        '{"context": "Alarm", "template": "{missing} argument"}',
        # Well-formed but not the words stored beside it: the English words win.
        '{"context": "Alarm", "template": "something else"}',
    ],
)
def test_a_stored_text_that_does_not_make_its_words_again_reads_as_the_stored_english(
    stored: str,
) -> None:
    assert text_from_json(stored, "Heart rate 135 /min") == "Heart rate 135 /min"
    assert not isinstance(text_from_json(stored, "Heart rate 135 /min"), Text)


def test_fixed_advice_stored_in_english_is_read_back_as_its_translatable_text() -> None:
    stop = QT_TRANSLATE_NOOP("Alarm", "Stop the infusion and call the physician now.")
    other = QT_TRANSLATE_NOOP("Alarm", "Call the physician.")

    again = known_text(str(stop), other, stop)

    assert isinstance(again, Text)
    assert (again.context, again.template) == ("Alarm", stop.template)
    assert not isinstance(known_text("typed by a nurse", stop), Text)


def test_enumerations_a_nurse_reads_translate_in_their_class_context() -> None:
    assert Step.INFUSION_PAUSED == "Alemtuzumab paused"
    assert (Step.INFUSION_PAUSED.text.context, Step.INFUSION_PAUSED.text) == (
        "Step",
        "Alemtuzumab paused",
    )


def test_an_engine_refusal_is_english_on_the_command_line_and_a_text_for_the_window(
    ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    with pytest.raises(SequenceError) as caught:
        ward.record(admission, EventKind.INFUSION_PAUSED, by="AB")

    assert str(caught.value) == "cannot record infusion paused: the infusion is not started"
    said = text_of(caught.value)
    assert isinstance(said, Text)
    assert said.template == "cannot record {event}: the infusion is {state}"
    assert (said.args["event"].context, said.args["state"].context) == (
        "EventKind",
        "InfusionState",
    )


def test_a_refusal_about_another_record_keeps_the_reason_translatable(
    ward: Ward, clock: ManualClock
) -> None:
    admission = admit(ward, clock)
    ward.record(admission, EventKind.STEROID_STARTED, by="AB")
    clock.advance(timedelta(minutes=30))
    ward.record(admission, EventKind.STEROID_FINISHED, by="AB")
    events = ward.infusion_day(admission).events
    started = next(e for e in events if e.kind is EventKind.STEROID_STARTED)

    with pytest.raises(SequenceError) as caught:
        ward.strike_out_event(admission, started.id, by="AB", reason="wrong patient")

    said = text_of(caught.value)
    assert isinstance(said, Text)
    assert said.template == "other records depend on it: {reason}"
    assert isinstance(said.args["reason"], Text)
    assert str(caught.value).startswith("other records depend on it: cannot record steroid")


def test_field_problems_are_english_texts(ward: Ward) -> None:
    with pytest.raises(EntryError) as caught:
        check_vitals({"hr": 720.0})

    problem = caught.value.problems[0]
    assert problem.message == "720 /min is impossible (possible: 15-300)"
    assert isinstance(problem.message, Text)
    assert problem.message.context == "Vitals"


def test_the_protocol_names_its_drugs_and_tests_in_other_languages() -> None:
    protocol = load_protocol()

    test = protocol.text("platelet count", capitalised=True)
    assert test == "Platelet count"
    assert dict(test.translations) == {"de": "Thrombozyten"}
    assert dict(protocol.text("acyclovir").translations) == {"de": "Aciclovir"}
    assert dict(protocol.text("a drug it does not give").translations) == {}


def test_a_translation_of_a_name_the_protocol_does_not_give_is_refused_with_its_line() -> None:
    text = default_protocol_path().read_text(encoding="utf-8")
    text = text.replace("    acyclovir: Aciclovir", "    acylovir: Aciclovir")

    with pytest.raises(ProtocolFileError) as caught:
        parse_protocol(text, "site.yaml")

    [problem] = caught.value.problems
    line = 1 + text.splitlines().index("    acylovir: Aciclovir")
    assert problem.startswith(f"site.yaml:{line}: translations.de.acylovir:")
    assert "not a drug, test or name of this protocol" in problem


def test_the_window_speaks_english_and_each_shipped_translation() -> None:
    assert available_languages() == ("en", "de")


def test_an_unknown_language_is_a_usage_error_naming_the_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as caught:
        main.main(["--db", str(tmp_path / "ward.sqlite3"), "--lang", "fr"])

    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert "AlemMonitor does not speak 'fr'; the languages are: en, de" in error
    assert not (tmp_path / "ward.sqlite3").exists()
