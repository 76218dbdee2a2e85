"""The page layout both reports share, read back from real PDFs."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from alemmonitor.report_layout import BODY, PageWriter, document


def test_the_signatures_never_stand_on_a_page_of_their_own() -> None:
    writer = PageWriter(tr=str, local=lambda moment: moment, created_at=datetime.now(UTC))
    # However long the story, the page that holds the signature lines holds its last line too:
    # some of these lengths end a page just before the signatures.
    for lines in range(40, 100):
        story = [writer.text(f"Line {number} of the story", BODY) for number in range(1, lines + 1)]
        pdf = document(
            writer.signed(story),
            title="Layout",
            subject="signatures",
            running_head="Layout test",
            writer=writer,
        )
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        [signed] = [text for text in pages if "Physician (name, signature)" in text]
        assert f"Line {lines} of the story" in signed, f"{lines} lines: {signed!r}"
