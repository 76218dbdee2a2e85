"""The language of the window: Qt's translators for our texts and Qt's own, and the domain's
texts rendered through them.

The language is chosen once, at start (the system's by default, `--lang` to override); widgets
take their texts when they are built. Our catalog is `resources/i18n/alemmonitor_<lang>.qm`
(made by `make translations`); Qt's own (`qtbase_<lang>.qm`, for standard buttons such as Save
and Cancel) comes with PySide6.
"""

from __future__ import annotations

import logging
from importlib import resources

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from alemmonitor.texts import CATALOG_PREFIX, QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, Text, text_of
from devices.session import LinkState

log = logging.getLogger(__name__)

# The monitor link's states as the ward reads them (the device layer names them in English).
_LINK_STATES = {
    None: QT_TRANSLATE_NOOP("LinkState", "connecting"),
    LinkState.CONNECTED: QT_TRANSLATE_NOOP("LinkState", "connected"),
    LinkState.RECEIVING: QT_TRANSLATE_NOOP("LinkState", "receiving"),
    LinkState.SILENT: QT_TRANSLATE_NOOP("LinkState", "silent"),
    LinkState.FRAME_ERRORS: QT_TRANSLATE_NOOP("LinkState", "frame errors"),
    LinkState.PORT_UNAVAILABLE: QT_TRANSLATE_NOOP("LinkState", "port unavailable"),
    LinkState.PORT_LOST: QT_TRANSLATE_NOOP("LinkState", "port lost"),
    LinkState.STOPPED: QT_TRANSLATE_NOOP("LinkState", "stopped"),
}
_LANGUAGE_PROPERTY = "alemmonitorLanguage"
_TRANSLATOR_NAME = "alemmonitorTranslator"


def catalog_folder() -> str:
    """The folder of our compiled translations."""
    return str(resources.files("resources") / "i18n")


def install_translators(app: QCoreApplication, language: str | None = None) -> str:
    """Make `app` speak `language` ('de', 'en'), or the system's language when None.

    Replaces the translators installed before, if any. Returns the language now spoken: the
    source language (English) when there is no translation for the one asked.
    """
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    locale = QLocale.system() if language is None else QLocale(language)
    spoken = SOURCE_LANGUAGE
    if language != SOURCE_LANGUAGE:
        ours = _translator(app)
        if ours.load(locale, CATALOG_PREFIX.rstrip("_"), "_", catalog_folder()):
            app.installTranslator(ours)
            spoken = QLocale(ours.language()).name().split("_")[0]
            qt_own = _translator(app)
            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt_own.load(QLocale(spoken), "qtbase", "_", qt_folder):
                app.installTranslator(qt_own)
            else:
                log.warning("no Qt translation for %s in %s", spoken, qt_folder)
        elif language is not None:
            # `--lang` is checked against the shipped catalogs; this is a broken installation.
            raise FileNotFoundError(f"no translation for {language!r} in {catalog_folder()}")
    app.setProperty(_LANGUAGE_PROPERTY, spoken)
    log.info("window language: %s", spoken)
    return spoken


def _translator(app: QCoreApplication) -> QTranslator:
    translator = QTranslator(app)
    translator.setObjectName(_TRANSLATOR_NAME)
    return translator


def language() -> str:
    """The language the window speaks ('en' before any translator was installed)."""
    app = QCoreApplication.instance()
    spoken = app.property(_LANGUAGE_PROPERTY) if app is not None else None
    return spoken if isinstance(spoken, str) else SOURCE_LANGUAGE


def translated(text: str) -> str:
    """A domain text in the window's language; any other string as it is."""
    if not isinstance(text, Text):
        return text
    if text.translations or not text.context:
        words = text.translations.get(language(), text.template)
    else:
        words = QCoreApplication.translate(text.context, text.template)
    if not text.args:
        return words
    args = {
        name: translated(value) if isinstance(value, str) else value
        for name, value in text.args.items()
    }
    return words.format_map(args)


def message_of(error: BaseException) -> str:
    """What an error says, in the window's language when it was raised with a domain text."""
    return translated(text_of(error))


def link_state_text(state: LinkState | None) -> str:
    """A monitor link's state in the window's language; None is a link still connecting."""
    return translated(_LINK_STATES[state])
