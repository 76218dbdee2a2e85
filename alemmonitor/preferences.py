"""The ward laptop's own preferences (not clinical data): kept as domain values in a small file.

A missing or unreadable file gives the defaults and a logged warning: a preference never stops
the ward from starting.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preferences:
    """What this laptop remembers between starts."""

    night: bool = False
    """Dark colours for night shifts."""


def default_preferences_path() -> Path:
    """The preferences file in the platform's per-user configuration folder."""
    return platformdirs.user_config_path("AlemMonitor", appauthor=False) / "preferences.json"


def load_preferences(path: Path) -> Preferences:
    """The saved preferences, or the defaults if there are none or the file is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); using the default preferences", path, exc)
        return Preferences()
    night = data.get("night") if isinstance(data, dict) else None
    if not isinstance(night, bool):
        log.warning("%s: 'night' is not true or false; using the default", path)
        return Preferences()
    return Preferences(night=night)


def save_preferences(preferences: Preferences, path: Path) -> None:
    """Write the preferences whole (never a half-written file); a failure is logged."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".preferences.", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(asdict(preferences), out)
        Path(temporary).replace(path)
    except OSError as exc:
        log.warning("preferences not saved to %s: %s", path, exc)
