"""Reactions graded with CTCAE and notes, on a real record: the terms file, search, recording,
resolution, corrections with their history, and the refusals that store nothing."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alemmonitor.clock import ManualClock, from_iso, to_iso
from alemmonitor.errors import EntryError, StoreError
from alemmonitor.patients import PatientDraft
from alemmonitor.reactions import (
    ACTIONS,
    RESOLVED_REASON,
    CtcaeFileError,
    add_note,
    correct_note,
    correct_reaction,
    default_ctcae_path,
    fold,
    load_ctcae,
    notes_of,
    parse_ctcae,
    reaction_history,
    reactions_of,
    record_reaction,
    record_resolution,
    search_terms,
    strike_out_reaction,
)
from alemmonitor.store import Row, Store
from alemmonitor.ward import Admission, Ward

NURSE = "AB"
SECOND_NURSE = "CD"


@pytest.fixture
def admission(ward: Ward, clock: ManualClock) -> Admission:
    bed = ward.ensure_beds(6, NURSE)[0]
    patient = ward.register_patient(PatientDraft("4711", "Anna Schmidt", date(1988, 4, 12)), NURSE)
    return ward.admit(
        patient, course_number=1, day_number=4, bed=bed, planned_start=clock.now(), by=NURSE
    )


def reaction_rows(store: Store) -> list[Row]:
    return store.query("SELECT * FROM reactions ORDER BY rowid")


def shipped() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(default_ctcae_path().read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "ctcae.json"
    text = data if isinstance(data, str) else json.dumps(data, indent=1, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


# -- the terms file ----------------------------------------------------------------------------


def test_the_shipped_terms_keep_the_version_source_and_grade_texts() -> None:
    ctcae = load_ctcae()
    assert ctcae.version == "5.0"
    assert "third-party" in ctcae.source
    assert "verify against NCI" in ctcae.source
    fever = ctcae.term("Fever")
    assert fever is not None
    assert fever.grades[1] == "38.0 - 39.0 degrees C (100.4 - 102.2 degrees F)"
    assert fever.grades[4] == ">40.0 degrees C (>104.0 degrees F) for >24 hrs"
    headache = ctcae.term("Headache")
    assert headache is not None
    assert sorted(headache.grades) == [1, 2, 3]
    assert headache.grade_text(4) is None
    anaphylaxis = ctcae.term("Anaphylaxis")
    assert anaphylaxis is not None
    assert sorted(anaphylaxis.grades) == [3, 4, 5]
    allergic = ctcae.term("Allergic reaction")
    assert allergic is not None
    assert allergic.navigational_note is not None
    assert "Infusion related reaction" in allergic.navigational_note
    assert headache.navigational_note is None


def test_the_terms_nurses_need_on_an_alemtuzumab_day_are_offered() -> None:
    names = {term.name for term in load_ctcae().terms}
    assert {
        "Infusion related reaction",
        "Rash maculo-papular",
        "Urticaria",
        "Pruritus",
        "Headache",
        "Fever",
        "Chills",
        "Nausea",
        "Vomiting",
        "Fatigue",
        "Flushing",
        "Dyspnea",
        "Chest pain - cardiac",
        "Hypotension",
        "Hypertension",
        "Sinus tachycardia",
    } <= names
    assert all(term.synonyms for term in load_ctcae().terms)


def test_grade_texts_show_line_breaks_not_escape_sequences() -> None:
    hypertension = load_ctcae().term("Hypertension")
    assert hypertension is not None
    assert "\n\nPediatric" in hypertension.grades[1]
    assert all("\\n" not in text for term in load_ctcae().terms for text in term.grades.values())


def test_a_term_without_a_grade_text_is_refused_naming_file_line_and_field(
    tmp_path: Path,
) -> None:
    data = shipped()
    del data["terms"]["Headache"]["g3"]
    path = write(tmp_path, data)
    with pytest.raises(CtcaeFileError) as refused:
        load_ctcae(path)
    [problem] = refused.value.problems
    line = next(
        number
        for number, text in enumerate(path.read_text().splitlines(), 1)
        if '"Headache"' in text
    )
    assert problem.startswith(f"{path}:{line}: terms.Headache.g3:")
    assert "required" in problem.lower()


def test_every_problem_of_a_terms_file_is_listed(tmp_path: Path) -> None:
    data = shipped()
    data["version"] = "five"
    data["terms"]["Fever"]["synonyms"] = []
    data["terms"]["Nausea"]["grade6"] = "made up"
    data["terms"]["Chills"]["g1"] = "  "
    with pytest.raises(CtcaeFileError) as refused:
        load_ctcae(write(tmp_path, data))
    fields = [problem.split(": ")[1] for problem in refused.value.problems]
    assert sorted(fields) == [
        "terms.Chills.g1",
        "terms.Fever.synonyms",
        "terms.Nausea.grade6",
        "version",
    ]
    assert "terms.Chills.g1: Value error, must not be empty" in str(refused.value)


def test_a_synonym_that_would_find_two_terms_is_refused(tmp_path: Path) -> None:
    data = shipped()
    data["terms"]["Urticaria"]["synonyms"].append("Ausschlag")
    with pytest.raises(CtcaeFileError) as refused:
        load_ctcae(write(tmp_path, data))
    assert "terms.Urticaria.synonyms" in str(refused.value)
    assert "'Rash maculo-papular'" in str(refused.value)


def test_a_term_given_twice_and_a_term_with_no_grade_are_refused(tmp_path: Path) -> None:
    text = default_ctcae_path().read_text(encoding="utf-8")
    twice = text.replace('"Fever": {', '"Fever": {"soc": "x"}, "Fever": {', 1)
    with pytest.raises(CtcaeFileError, match="Fever: given twice"):
        parse_ctcae(twice, "twice.json")
    data = shipped()
    data["terms"]["Fatigue"].update({f"g{grade}": "-" for grade in range(1, 6)})
    with pytest.raises(CtcaeFileError, match=r"terms\.Fatigue: no grade is defined"):
        load_ctcae(write(tmp_path, data))


def test_a_file_that_is_not_json_or_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        CtcaeFileError, match=r"ctcae\.json:4: not valid JSON: Expecting .,. delimiter"
    ):
        load_ctcae(write(tmp_path, '{\n "schema": 1,\n "version": 5.0\n "terms": {}\n}'))
    with pytest.raises(CtcaeFileError, match="cannot be read"):
        load_ctcae(tmp_path / "missing.json")


# -- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("exanthema", "Rash maculo-papular"),
        ("Ausschlag", "Rash maculo-papular"),
        ("rash", "Rash maculo-papular"),
        ("fieber", "Fever"),
        ("KOPFSCHMERZ", "Headache"),
        ("Übelkeit", "Nausea"),
        ("Uebelkeit", "Nausea"),
        ("ubelkeit", "Nausea"),
        ("Juckreiz", "Pruritus"),
        ("Nesselsucht", "Urticaria"),
        ("Schüttelfrost", "Chills"),
        ("dyspnoea", "Dyspnea"),
        ("chest pain", "Chest pain - cardiac"),
        ("maculopapular", "Rash maculo-papular"),
        ("  headache ", "Headache"),
    ],
)
def test_nurses_words_find_the_ctcae_term_first(typed: str, found: str) -> None:
    assert search_terms(typed)[0].name == found


def test_search_ranks_exact_then_prefix_then_words_and_keeps_file_order_on_ties() -> None:
    assert [t.name for t in search_terms("pain")] == [
        "Back pain",
        "Chest pain - cardiac",
        "Myalgia",
        "Arthralgia",
    ]
    assert [t.name for t in search_terms("heart rate")] == [
        "Sinus tachycardia",
        "Sinus bradycardia",
    ]
    assert len(search_terms("")) == len(load_ctcae().terms)
    assert search_terms("xylophone") == []


def test_every_name_and_synonym_finds_its_own_term_first() -> None:
    for term in load_ctcae().terms:
        for word in (term.name, *term.synonyms):
            assert search_terms(word)[0].name == term.name, word
            assert search_terms(word.upper())[0].name == term.name, word


@given(st.text(max_size=30))
def test_search_never_fails_and_finds_only_matching_terms(text: str) -> None:
    typed = fold(text).split()
    for term in search_terms(text):
        words = [fold(word) for word in (term.name, *term.synonyms)]
        assert any(all(t in word for t in typed) for word in words)


# -- recording ---------------------------------------------------------------------------------


def test_a_reaction_is_stored_with_its_ctcae_version_and_actions(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    onset = clock.now() - timedelta(minutes=10)
    reaction = record_reaction(
        ward,
        admission,
        term="Rash maculo-papular",
        grade=2,
        onset_at=onset,
        actions=["antihistamine", "slowed", "antihistamine"],
        note="  trunk and arms ",
        by=NURSE,
    )
    [row] = reaction_rows(ward.store)
    assert row["day_id"] == admission.id
    assert (row["term"], row["grade"], row["ctcae_version"]) == ("Rash maculo-papular", 2, "5.0")
    assert row["onset_at"] == to_iso(onset)
    assert row["resolved_at"] is None
    assert json.loads(row["actions"]) == ["slowed", "antihistamine"]
    assert row["note"] == "trunk and arms"
    assert row["entered_by"] == NURSE
    assert reaction.id == row["root_id"]
    assert reaction.actions == ("slowed", "antihistamine")
    assert reactions_of(ward, admission) == [reaction]


def test_an_onset_within_two_minutes_ahead_of_the_clock_is_accepted(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    # A nurse's watch and the laptop disagree by a minute or two.
    reaction = record_reaction(
        ward,
        admission,
        term="Headache",
        grade=1,
        onset_at=clock.now() + timedelta(minutes=2),
        by=NURSE,
    )
    assert reaction.grade == 1


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"term": "Ausschlag"}, "term", "'Ausschlag' is not a CTCAE v5.0 term"),
        ({"term": ""}, "term", "choose the CTCAE term"),
        ({"term": "Headache", "grade": 4}, "grade", "Headache has no grade 4 in CTCAE v5.0"),
        ({"term": "Anaphylaxis", "grade": 1}, "grade", "(it has grades 3-5)"),
        ({"grade": None}, "grade", "choose the grade (grades 1-5)"),
        ({"onset_in": timedelta(minutes=3)}, "onset_at", "is in the future"),
        ({"actions": ["other"]}, "note", "which other action"),
        ({"actions": ["other"], "note": "   "}, "note", "which other action"),
        ({"actions": ["none", "paused"]}, "actions", "cannot go with other actions"),
        ({"actions": ["prayed"]}, "actions", "unknown prayed"),
        ({"by": " "}, "by", "initials"),
    ],
)
def test_a_wrong_reaction_is_refused_naming_the_field_and_nothing_is_stored(
    ward: Ward, admission: Admission, entry: dict[str, Any], field: str, message: str
) -> None:
    values: dict[str, Any] = {"term": "Infusion related reaction", "grade": 2, "by": NURSE}
    values.update(entry)
    onset = ward.clock.now() + values.pop("onset_in", timedelta(0))
    audit_before = len(ward.store.audit_trail())
    with pytest.raises(EntryError) as refused:
        record_reaction(ward, admission, onset_at=onset, **values)
    [problem] = refused.value.problems
    assert problem.field == field
    assert message in problem.message
    assert reaction_rows(ward.store) == []
    assert len(ward.store.audit_trail()) == audit_before


def test_every_problem_of_an_entry_is_named_at_once(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    with pytest.raises(EntryError) as refused:
        record_reaction(
            ward,
            admission,
            term="Headache",
            grade=5,
            onset_at=clock.now() + timedelta(hours=1),
            actions=["other"],
            by=NURSE,
        )
    assert [p.field for p in refused.value.problems] == ["grade", "onset_at", "note"]


def test_reactions_of_a_day_are_listed_by_onset(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    later = record_reaction(ward, admission, term="Fever", grade=1, onset_at=clock.now(), by=NURSE)
    earlier = record_reaction(
        ward,
        admission,
        term="Chills",
        grade=1,
        onset_at=clock.now() - timedelta(minutes=30),
        by=SECOND_NURSE,
    )
    assert [r.term for r in reactions_of(ward, admission)] == ["Chills", "Fever"]
    assert [r.entered_by for r in reactions_of(ward, admission)] == [SECOND_NURSE, NURSE]
    assert {r.id for r in reactions_of(ward, admission)} == {later.id, earlier.id}


# -- resolution --------------------------------------------------------------------------------


def test_a_resolution_supersedes_the_reaction_with_the_reason_resolved(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Urticaria", grade=1, onset_at=clock.now(), by=NURSE
    )
    clock.advance(timedelta(minutes=45))
    resolved = record_resolution(
        ward, reaction.id, resolved_at=clock.now() - timedelta(minutes=5), by=SECOND_NURSE
    )
    assert resolved.id == reaction.id
    assert resolved.resolved
    assert resolved.resolved_at == clock.now() - timedelta(minutes=5)
    assert resolved.entered_by == NURSE
    original, latest = reaction_rows(ward.store)
    assert latest["supersedes"] == original["id"]
    assert latest["correction_reason"] == RESOLVED_REASON
    assert latest["entered_by"] == SECOND_NURSE
    assert from_iso(latest["resolved_at"]) == resolved.resolved_at
    assert (latest["term"], latest["grade"], latest["actions"]) == ("Urticaria", 1, "[]")
    assert reactions_of(ward, admission) == [resolved]


@pytest.mark.parametrize(
    ("resolved_in", "message"),
    [
        (timedelta(minutes=-1), "is before the onset at 08:00"),
        (timedelta(minutes=30), "is in the future"),
    ],
)
def test_a_resolution_before_the_onset_or_in_the_future_is_refused(
    ward: Ward,
    admission: Admission,
    clock: ManualClock,
    resolved_in: timedelta,
    message: str,
) -> None:
    reaction = record_reaction(
        ward, admission, term="Nausea", grade=1, onset_at=clock.now(), by=NURSE
    )
    clock.advance(timedelta(minutes=10))
    with pytest.raises(EntryError) as refused:
        record_resolution(ward, reaction.id, resolved_at=reaction.onset_at + resolved_in, by=NURSE)
    [problem] = refused.value.problems
    assert problem.field == "resolved_at"
    assert message in problem.message
    assert len(reaction_rows(ward.store)) == 1


def test_a_reaction_is_resolved_only_once(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Nausea", grade=1, onset_at=clock.now(), by=NURSE
    )
    clock.advance(timedelta(minutes=10))
    record_resolution(ward, reaction.id, resolved_at=clock.now(), by=NURSE)
    with pytest.raises(EntryError, match="already resolved at 08:10"):
        record_resolution(ward, reaction.id, resolved_at=clock.now(), by=NURSE)
    assert len(reaction_rows(ward.store)) == 2


def test_resolving_an_unknown_reaction_is_a_store_error(ward: Ward) -> None:
    with pytest.raises(StoreError, match="no reaction"):
        record_resolution(ward, "no-such-id", resolved_at=ward.clock.now(), by=NURSE)


# -- corrections and history -------------------------------------------------------------------


def test_a_correction_keeps_both_versions_with_who_and_why(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Headache", grade=2, onset_at=clock.now(), by=NURSE
    )
    clock.advance(timedelta(minutes=20))
    corrected = correct_reaction(
        ward,
        reaction.id,
        {"grade": 3, "actions": ["antipyretic"]},
        by=SECOND_NURSE,
        reason="limits self care",
    )
    assert (corrected.id, corrected.grade, corrected.actions) == (reaction.id, 3, ("antipyretic",))
    first, second = reaction_history(ward, reaction.id)
    assert (first["grade"], first["entered_by"], first["correction_reason"]) == (2, NURSE, None)
    assert (second["grade"], second["entered_by"]) == (3, SECOND_NURSE)
    assert second["correction_reason"] == "limits self care"
    assert second["supersedes"] == first["id"]
    assert reactions_of(ward, admission) == [corrected]


def test_a_correction_is_checked_like_a_new_reaction(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Fever", grade=4, onset_at=clock.now(), by=NURSE
    )
    with pytest.raises(EntryError) as refused:
        correct_reaction(
            ward, reaction.id, {"term": "Headache", "actions": ["other"]}, by=NURSE, reason="x"
        )
    assert [p.field for p in refused.value.problems] == ["grade", "note"]
    with pytest.raises(EntryError) as refused:
        correct_reaction(ward, reaction.id, {"grade": 3}, by=NURSE, reason=" ")
    assert [p.field for p in refused.value.problems] == ["reason"]
    with pytest.raises(EntryError, match="changes nothing"):
        correct_reaction(ward, reaction.id, {"grade": 4, "note": ""}, by=NURSE, reason="x")
    clock.advance(timedelta(minutes=10))
    record_resolution(ward, reaction.id, resolved_at=clock.now(), by=NURSE)
    with pytest.raises(EntryError, match="before the onset"):
        correct_reaction(
            ward,
            reaction.id,
            {"onset_at": clock.now() + timedelta(minutes=1)},
            by=NURSE,
            reason="x",
        )
    assert len(reaction_rows(ward.store)) == 2
    with pytest.raises(ValueError, match="not a reaction field: day_id"):
        correct_reaction(ward, reaction.id, {"day_id": "x"}, by=NURSE, reason="x")


def test_a_resolution_entered_by_mistake_can_be_taken_back(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Fatigue", grade=1, onset_at=clock.now(), by=NURSE
    )
    record_resolution(ward, reaction.id, resolved_at=clock.now(), by=NURSE)
    reopened = correct_reaction(
        ward, reaction.id, {"resolved_at": None}, by=NURSE, reason="wrong patient"
    )
    assert not reopened.resolved
    assert [row["resolved_at"] is None for row in reaction_history(ward, reaction.id)] == [
        True,
        False,
        True,
    ]


def test_a_regraded_reaction_takes_the_version_of_the_terms_it_is_graded_in(
    ward: Ward, admission: Admission, clock: ManualClock, tmp_path: Path
) -> None:
    reaction = record_reaction(
        ward, admission, term="Fever", grade=1, onset_at=clock.now(), by=NURSE
    )
    data = shipped()
    data["version"] = "6.0"
    later = load_ctcae(write(tmp_path, data))
    noted = correct_reaction(
        ward, reaction.id, {"note": "38.4 °C"}, by=NURSE, reason="add", ctcae=later
    )
    assert noted.ctcae_version == "5.0"
    regraded = correct_reaction(
        ward, reaction.id, {"grade": 2}, by=NURSE, reason="39.2", ctcae=later
    )
    assert regraded.ctcae_version == "6.0"


def test_a_reaction_struck_out_leaves_the_day_but_stays_in_the_history(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    reaction = record_reaction(
        ward, admission, term="Vomiting", grade=1, onset_at=clock.now(), by=NURSE
    )
    with pytest.raises(EntryError, match="reason"):
        strike_out_reaction(ward, reaction.id, by=NURSE, reason="")
    strike_out_reaction(ward, reaction.id, by=SECOND_NURSE, reason="other patient")
    assert reactions_of(ward, admission) == []
    original, voided = reaction_history(ward, reaction.id)
    assert voided["voided"] == 1
    assert voided["correction_reason"] == "other patient"
    with pytest.raises(StoreError, match="struck out"):
        record_resolution(ward, reaction.id, resolved_at=clock.now(), by=NURSE)
    assert original["term"] == "Vomiting"


def test_actions_list_and_ward_order_match() -> None:
    assert ACTIONS == (
        "none",
        "slowed",
        "paused",
        "stopped",
        "antihistamine",
        "antipyretic",
        "corticosteroid",
        "other",
    )


# -- notes -------------------------------------------------------------------------------------


def test_notes_are_kept_on_the_day_and_corrected_with_a_reason(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    note = add_note(ward, admission, "Patient anxious, husband present.", by=NURSE)
    earlier = add_note(
        ward,
        admission,
        "Arrived on time.",
        by=SECOND_NURSE,
        written_at=clock.now() - timedelta(minutes=30),
    )
    assert [n.text for n in notes_of(ward, admission)] == [earlier.text, note.text]
    assert note.patient_id == admission.patient.id
    clock.advance(timedelta(minutes=5))
    corrected = correct_note(
        ward, note.id, text="Patient anxious, daughter present.", by=SECOND_NURSE, reason="typo"
    )
    assert corrected.id == note.id
    assert corrected.entered_by == NURSE
    assert [n.text for n in notes_of(ward, admission)][1] == "Patient anxious, daughter present."
    first, second = ward.store.history("notes", note.id)
    assert first["text"] == "Patient anxious, husband present."
    assert (second["entered_by"], second["correction_reason"]) == (SECOND_NURSE, "typo")


def test_an_empty_or_future_note_is_refused(
    ward: Ward, admission: Admission, clock: ManualClock
) -> None:
    with pytest.raises(EntryError) as refused:
        add_note(ward, admission, "  ", by=NURSE, written_at=clock.now() + timedelta(hours=1))
    assert [p.field for p in refused.value.problems] == ["text", "written_at"]
    note = add_note(ward, admission, "ok", by=NURSE)
    with pytest.raises(EntryError) as refused:
        correct_note(ward, note.id, text="ok", by=NURSE, reason="")
    assert [p.field for p in refused.value.problems] == ["reason", "text"]
    assert len(ward.store.history("notes", note.id)) == 1
