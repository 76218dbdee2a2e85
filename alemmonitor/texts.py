"""Texts a nurse reads, written in English and marked for translation with Qt's tools (no Qt here).

A text the domain produces for people (a refusal, a step's title, a field's problem) is a `Text`:
the English words themselves (a `Text` is a `str`, so the command line, the logs and every caller
that only wants words read it as before) that also carry what a translation needs: the context,
the template and its arguments. The window renders it in its language (`ui.i18n.translated`).

Templates are marked where they are written, `QT_TRANSLATE_NOOP("Context", "template")`, with the
context and the template as literals: that call is what `pyside6-lupdate` looks for in Python
sources. Placeholders are named (`{time}`, `{drug}`), so that a translation may reorder them, and
filled with `.format(name=value)` on the marked text. Arguments that are texts themselves (an
event's description inside a refusal) are translated too.

Words that come from data files (a protocol's drug and test names) are `Text.data`: they carry
their own translations, given in the file, instead of a context.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from enum import StrEnum
from importlib import resources
from types import MappingProxyType
from typing import Final, Self

SOURCE_LANGUAGE: Final = "en"
"""The language the texts are written in; it needs no translation file."""
CATALOG_PREFIX: Final = "alemmonitor_"
"""Compiled translations are `resources/i18n/alemmonitor_<language>.qm`."""


class Text(str):
    """English words that know how to be translated.

    `context` and `template` name the entry in the translation catalog (an empty context: nothing
    to look up, e.g. a list joined from other texts); `args` fill the template's named
    placeholders; `translations` hold a data text's own words per language (`Text.data`).
    """

    context: str
    template: str
    args: Mapping[str, object]
    translations: Mapping[str, str]

    def __new__(
        cls,
        context: str,
        template: str,
        args: Mapping[str, object] | None = None,
        *,
        translations: Mapping[str, str] | None = None,
    ) -> Self:
        arguments = dict(args or {})
        text = super().__new__(cls, template.format_map(arguments) if arguments else template)
        text.context = context
        text.template = template
        text.args = MappingProxyType(arguments)
        text.translations = MappingProxyType(dict(translations or {}))
        return text

    def __reduce__(self) -> tuple[object, ...]:
        # Copies and pickles rebuild the text from its parts, not from the English words.
        return (_rebuilt, (self.context, self.template, dict(self.args), dict(self.translations)))

    def format(self, *args: object, **kwargs: object) -> Text:
        """The text with its named placeholders filled in; it stays translatable."""
        if args:
            raise TypeError("a Text's placeholders are named: format(name=value)")
        return Text(self.context, self.template, {**self.args, **kwargs})

    @classmethod
    def data(cls, words: str, translations: Mapping[str, str] | None = None) -> Text:
        """Words from a data file, with their translations by language ('de': ...)."""
        return cls("", words, translations=translations)


def _rebuilt(
    context: str, template: str, args: dict[str, object], translations: dict[str, str]
) -> Text:
    return Text(context, template, args, translations=translations)


def QT_TRANSLATE_NOOP(context: str, template: str) -> Text:  # noqa: N802 - the name lupdate finds
    """Mark `template` for translation in `context`; returns it as a `Text`, in English."""
    return Text(context, template)


def joined(parts: Sequence[str], separator: str = ", ") -> Text:
    """The parts in a row, each translated on its own ('batch L1, checked by KM')."""
    escaped = separator.replace("{", "{{").replace("}", "}}")
    template = escaped.join(f"{{part{index}}}" for index in range(len(parts)))
    return Text("", template, {f"part{index}": part for index, part in enumerate(parts)})


def text_as_json(text: str) -> str | None:
    """A `Text` as JSON, to store beside its English words so that it can be read in any
    language later (None for plain words, which have nothing more to keep)."""
    if not isinstance(text, Text):
        return None
    return json.dumps(_parts(text), ensure_ascii=False, separators=(",", ":"))


def text_from_json(stored: str, english: str) -> str:
    """The `Text` stored by `text_as_json`, or `english` (the words stored beside it) when the
    JSON does not make that text again (written by a later version, or damaged)."""
    try:
        rebuilt = _rebuilt_from(json.loads(stored))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return english
    return rebuilt if rebuilt == english else english


def _parts(text: Text) -> dict[str, object]:
    parts: dict[str, object] = {"context": text.context, "template": text.template}
    if text.args:
        parts["args"] = {
            name: {"text": _parts(value)}
            if isinstance(value, Text)
            else value
            if isinstance(value, str | int | float) and not isinstance(value, bool)
            else str(value)
            for name, value in text.args.items()
        }
    if text.translations:
        parts["translations"] = dict(text.translations)
    return parts


def _rebuilt_from(parts: object) -> Text:
    if not isinstance(parts, dict):
        raise TypeError("a stored text is an object")
    args = parts.get("args", {})
    translations = parts.get("translations", {})
    if not isinstance(args, dict) or not isinstance(translations, dict):
        raise TypeError("a stored text's args and translations are objects")
    return Text(
        str(parts["context"]),
        str(parts["template"]),
        {
            str(name): _rebuilt_from(value["text"]) if isinstance(value, dict) else value
            for name, value in args.items()
        },
        translations={str(code): str(words) for code, words in translations.items()},
    )


def known_text(stored: str, *known: Text) -> str:
    """Stored English words as the translatable text among `known` whose words they are; other
    words as they were stored. A record keeps fixed advice in English, whatever the window's
    language, and a report in another language reads it in that language."""
    return next((text for text in known if text == stored), stored)


def text_of(error: BaseException) -> str:
    """What an error says: its `Text` when it was raised with one, else its English words."""
    first = error.args[0] if len(error.args) == 1 else None
    return first if isinstance(first, Text) else str(error)


class TextEnum(StrEnum):
    """An enumeration whose values are English words a nurse reads.

    Each value is marked for translation in the context named after the class:
    `RUNNING = QT_TRANSLATE_NOOP("InfusionState", "running")`.
    """

    @property
    def text(self) -> Text:
        """The value as a translatable text."""
        return Text(type(self).__name__, self.value)


def available_languages() -> tuple[str, ...]:
    """The languages the window can speak: English, and each shipped translation."""
    folder = resources.files("resources") / "i18n"
    shipped = sorted(
        entry.name.removeprefix(CATALOG_PREFIX).removesuffix(".qm")
        for entry in folder.iterdir()
        if entry.name.startswith(CATALOG_PREFIX) and entry.name.endswith(".qm")
    )
    return (SOURCE_LANGUAGE, *shipped)
