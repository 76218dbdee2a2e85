"""The page layout both reports share, read back from real PDFs."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from pypdf import PdfReader
from reportlab.platypus import Flowable

from alemmonitor.report_layout import BODY, PageWriter, document


def pages_of(story: Sequence[Flowable], writer: PageWriter) -> list[str]:
    """The text of each page of the PDF of `story`."""
    pdf = document(
        list(story),
        title="Layout",
        subject="signatures",
        running_head="Layout test",
        writer=writer,
    )
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def writer() -> PageWriter:
    return PageWriter(tr=str, local=lambda moment: moment, created_at=datetime.now(UTC))


def test_the_signatures_never_stand_on_a_page_of_their_own() -> None:
    layout = writer()
    # However long the last section, the page that holds the signature lines holds its last
    # line too: some of these lengths end a page just before the signatures.
    for lines in range(40, 100):
        body = [layout.text(f"Line {number} of the story", BODY) for number in range(1, lines + 1)]
        pages = pages_of(layout.signed([], "Results", body), layout)
        [signed] = [text for text in pages if "Physician (name, signature)" in text]
        assert f"Line {lines} of the story" in signed, f"{lines} lines: {signed!r}"


def test_signatures_after_short_sections_take_no_page_of_their_own() -> None:
    layout = writer()
    story = [*layout.section("Notes", []), *layout.section("Corrections", [])]

    pages = pages_of(layout.signed(story, "Lab tasks", []), layout)

    assert len(pages) == 1
    for words in ("Notes", "Corrections", "Lab tasks", "None recorded.", "Signatures"):
        assert words in pages[0]
