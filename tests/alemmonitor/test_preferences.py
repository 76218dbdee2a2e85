"""The laptop's preferences survive a restart; a broken file never stops the ward."""

from __future__ import annotations

from pathlib import Path

import pytest

from alemmonitor.preferences import Preferences, load_preferences, save_preferences


def test_night_colours_are_remembered(tmp_path: Path) -> None:
    path = tmp_path / "config" / "preferences.json"
    assert load_preferences(path) == Preferences(night=False)
    save_preferences(Preferences(night=True), path)
    assert load_preferences(path) == Preferences(night=True)
    assert [p.name for p in path.parent.iterdir()] == ["preferences.json"]


@pytest.mark.parametrize("text", ["{not json", '["night"]', '{"night": "yes"}', ""])
def test_an_unreadable_file_gives_the_defaults(tmp_path: Path, text: str) -> None:
    path = tmp_path / "preferences.json"
    path.write_text(text, encoding="utf-8")
    assert load_preferences(path) == Preferences()
    assert path.read_text(encoding="utf-8") == text  # left as it was


def test_a_folder_that_cannot_be_written_loses_the_preference_not_the_ward(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    save_preferences(Preferences(night=True), blocker / "preferences.json")
    assert load_preferences(blocker / "preferences.json") == Preferences()
