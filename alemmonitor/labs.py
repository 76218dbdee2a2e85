"""Blood results: the analytes the ward enters, what they are called, where a sample was taken.

The words of the lab results, shared by the catalog of units and ranges (`labs_catalog`), the
entry of typed results (`labs_entry`), the record (`labs_record`), the reading of a result in its
context (`labs_interpretation`) and the follow-up after a course (`followup`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final, Literal, get_args

from alemmonitor.texts import QT_TRANSLATE_NOOP, Text

AnalyteId = Literal[
    "leukocytes",
    "neutrophils",
    "lymphocytes",
    "monocytes",
    "eosinophils",
    "basophils",
    "platelets",
    "haemoglobin",
    "crp",
    "procalcitonin",
    "alt",
    "ast",
    "ggt",
    "ldh",
    "creatinine",
    "tsh",
]

ANALYTES: Final[tuple[AnalyteId, ...]] = get_args(AnalyteId)
"""The measured analytes, in the order of a lab report."""

URINALYSIS: Final = "urinalysis"
"""Urinalysis with microscopy: a finding (unremarkable or abnormal), not a number."""

ENTRY_FIELDS: Final[tuple[str, ...]] = (*ANALYTES, URINALYSIS)
"""Every field of a typed set of results."""

Finding = Literal["unremarkable", "abnormal"]
FINDINGS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "unremarkable": QT_TRANSLATE_NOOP("Labs", "unremarkable"),
        "abnormal": QT_TRANSLATE_NOOP("Labs", "abnormal"),
    }
)
"""What a urinalysis can be recorded as; an abnormal one says what in the note."""

LABELS: Final[Mapping[str, Text]] = MappingProxyType(
    {
        "leukocytes": QT_TRANSLATE_NOOP("Labs", "Leukocytes"),
        "neutrophils": QT_TRANSLATE_NOOP("Labs", "Neutrophils"),
        "lymphocytes": QT_TRANSLATE_NOOP("Labs", "Lymphocytes"),
        "monocytes": QT_TRANSLATE_NOOP("Labs", "Monocytes"),
        "eosinophils": QT_TRANSLATE_NOOP("Labs", "Eosinophils"),
        "basophils": QT_TRANSLATE_NOOP("Labs", "Basophils"),
        "platelets": QT_TRANSLATE_NOOP("Labs", "Platelets"),
        "haemoglobin": QT_TRANSLATE_NOOP("Labs", "Haemoglobin"),
        "crp": QT_TRANSLATE_NOOP("Labs", "CRP"),
        "procalcitonin": QT_TRANSLATE_NOOP("Labs", "Procalcitonin"),
        "alt": QT_TRANSLATE_NOOP("Labs", "ALT"),
        "ast": QT_TRANSLATE_NOOP("Labs", "AST"),
        "ggt": QT_TRANSLATE_NOOP("Labs", "GGT"),
        "ldh": QT_TRANSLATE_NOOP("Labs", "LDH"),
        "creatinine": QT_TRANSLATE_NOOP("Labs", "Creatinine"),
        "tsh": QT_TRANSLATE_NOOP("Labs", "TSH"),
        URINALYSIS: QT_TRANSLATE_NOOP("Labs", "Urinalysis"),
    }
)
"""What the ward calls each analyte."""

GROUPS: Final[tuple[tuple[Text, tuple[str, ...]], ...]] = (
    (
        QT_TRANSLATE_NOOP("Labs", "Blood count"),
        (
            "leukocytes",
            "neutrophils",
            "lymphocytes",
            "monocytes",
            "eosinophils",
            "basophils",
            "platelets",
            "haemoglobin",
        ),
    ),
    (QT_TRANSLATE_NOOP("Labs", "Inflammation"), ("crp", "procalcitonin")),
    (QT_TRANSLATE_NOOP("Labs", "Liver"), ("alt", "ast", "ggt", "ldh")),
    (QT_TRANSLATE_NOOP("Labs", "Kidney and thyroid"), ("creatinine", "tsh", URINALYSIS)),
)
"""The fields of the entry form under their headings, in the order of a lab report."""


class SamplingPoint(StrEnum):
    """When a sample was taken: the study's three points of an infusion day, or follow-up."""

    BEFORE_STEROID = "before_steroid"
    AFTER_STEROID = "after_steroid"
    AFTER_ALEMTUZUMAB = "after_alemtuzumab"
    FOLLOW_UP = "follow_up"

    def text(self, *, steroid_day: bool = True) -> Text:
        """The point as the ward says it; on a day without steroid, 'before the infusion'."""
        if self is SamplingPoint.BEFORE_STEROID and not steroid_day:
            return QT_TRANSLATE_NOOP("Labs", "Before the infusion")
        return _POINT_TEXTS[self]


_POINT_TEXTS: Final[Mapping[SamplingPoint, Text]] = MappingProxyType(
    {
        SamplingPoint.BEFORE_STEROID: QT_TRANSLATE_NOOP("Labs", "Before the steroid"),
        SamplingPoint.AFTER_STEROID: QT_TRANSLATE_NOOP("Labs", "After the steroid"),
        SamplingPoint.AFTER_ALEMTUZUMAB: QT_TRANSLATE_NOOP("Labs", "After alemtuzumab"),
        SamplingPoint.FOLLOW_UP: QT_TRANSLATE_NOOP("Labs", "Follow-up"),
    }
)

INFUSION_WEEK_POINTS: Final = (
    SamplingPoint.BEFORE_STEROID,
    SamplingPoint.AFTER_STEROID,
    SamplingPoint.AFTER_ALEMTUZUMAB,
)
"""Where a sample of an infusion day is taken (the study took one at each)."""


def format_value(value: float, decimals: int) -> str:
    """A value as a lab report prints it: fixed decimals, no trailing noise ('0.90', '142')."""
    return f"{value:.{decimals}f}"
