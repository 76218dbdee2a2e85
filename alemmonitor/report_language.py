"""The language of a printed report, without Qt: the window's catalog read as the data it is.

The window translates through Qt (`ui.i18n`); a report written by the command line, which never
loads Qt, reads the same German words from the catalog's source, `resources/i18n/alemmonitor_<
language>.ts` (plain XML kept by `make translations`), and renders a domain `Text` with them the
way the window does: the template translated in its context, nested texts translated too, data
words in their own translations.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from alemmonitor.errors import AlemMonitorError
from alemmonitor.texts import CATALOG_PREFIX, SOURCE_LANGUAGE, Text


class LanguageError(AlemMonitorError):
    """A report cannot be written in the language asked for."""


@dataclass(frozen=True)
class ReportLanguage:
    """Renders domain texts in one language; English needs no catalog."""

    code: str
    entries: Mapping[tuple[str, str], str]

    def __call__(self, text: str) -> str:
        """`text` in this language: a `Text` translated, any other string as it is."""
        if not isinstance(text, Text):
            return text
        if text.translations or not text.context:
            words = text.translations.get(self.code, text.template)
        else:
            words = self.entries.get((text.context, text.template), text.template)
        if not text.args:
            return words
        args = {
            name: self(value) if isinstance(value, str) else value
            for name, value in text.args.items()
        }
        return words.format_map(args)


ENGLISH = ReportLanguage(SOURCE_LANGUAGE, MappingProxyType({}))
"""The language the texts are written in."""


def catalog_path(code: str) -> Path:
    """Where the catalog of `code` ('de') is shipped."""
    return Path(str(resources.files("resources") / "i18n" / f"{CATALOG_PREFIX}{code}.ts"))


@cache
def report_language(code: str) -> ReportLanguage:
    """The language `code` ('en', 'de'); raises LanguageError when no catalog speaks it."""
    if code == SOURCE_LANGUAGE:
        return ENGLISH
    path = catalog_path(code)
    try:
        # The catalog ships with the app and is written by Qt's lupdate, not by strangers.
        root = ET.parse(path).getroot()  # noqa: S314
    except FileNotFoundError as exc:
        raise LanguageError(f"no report language {code!r}: {path} does not exist") from exc
    except (OSError, ET.ParseError) as exc:
        raise LanguageError(f"{path}: the catalog cannot be read ({exc})") from exc
    return ReportLanguage(code, MappingProxyType(_entries(root)))


def _entries(root: ET.Element) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None or translation.get("type"):
                continue  # unfinished, vanished or obsolete entries stay English
            forms = translation.findall("numerusform")
            words = forms[-1].text if forms else translation.text
            if words:
                found[(name, source)] = words
    return found
