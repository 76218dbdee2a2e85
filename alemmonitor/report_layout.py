"""The printed reports' common page: A4, embedded fonts, styles, tables, running head and footer.

Every report (a patient's infusion day, the unit summary, a patient's follow-up) is laid out for a
black-and-white printer with the same furniture: the report's title and the patient on top of
every page, "page x of y", when it was made and by which version at the foot. Every font is
embedded (Bitstream Vera, shipped inside reportlab): no page depends on the fonts of the computer
that opens it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from alemmonitor import __version__
from alemmonitor.texts import QT_TRANSLATE_NOOP

FONT = "Vera"
BOLD = "Vera-Bold"
ITALIC = "Vera-Italic"
BOLD_ITALIC = "Vera-BoldItalic"

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
"""The width of a page's text, in points."""
GRID = colors.Color(0.6, 0.6, 0.6)
HEAD_SHADE = colors.Color(0.88, 0.88, 0.88)
# A table sets its cells' font even where a paragraph brings its own: without this, every table
# would pull in the unembedded standard Helvetica.
TABLE_FONT = ("FONT", (0, 0), (-1, -1), FONT, 7.5)

PAGE = QT_TRANSLATE_NOOP("Report", "Page {page} of {pages}")
MADE = QT_TRANSLATE_NOOP("Report", "Made {time} · AlemMonitor {version}")
NONE = QT_TRANSLATE_NOOP("Report", "None recorded.")
SIGNATURES = QT_TRANSLATE_NOOP("Report", "Signatures")


@cache
def register_fonts() -> None:
    """Make the Vera TrueType family known to reportlab (it embeds what a page uses)."""
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in (
        (FONT, "Vera.ttf"),
        (BOLD, "VeraBd.ttf"),
        (ITALIC, "VeraIt.ttf"),
        (BOLD_ITALIC, "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
    )


def _style(
    name: str, size: float, *, font: str = FONT, leading: float | None = None
) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=leading or size * 1.22, splitLongWords=True
    )


BODY = _style("body", 8.5)
CELL = _style("cell", 7.5)
CELL_BOLD = _style("cellBold", 7.5, font=BOLD)
SMALL = _style("small", 6.8)
H1 = _style("h1", 15, font=BOLD)
H2 = _style("h2", 10.5, font=BOLD, leading=13)


class PageWriter:
    """Builds the flowables every report shares, in one language and one local time.

    `tr` renders a domain text in the report's language; `local` turns a recorded moment into
    the ward's local time; `created_at` is when the report is made (its footer says so).
    """

    def __init__(
        self,
        *,
        tr: Callable[[str], str],
        local: Callable[[datetime], datetime],
        created_at: datetime,
    ) -> None:
        register_fonts()  # before the first paragraph: styles name the fonts
        self.render = tr
        self.local = local
        self.created_at = created_at

    def text(self, words: str, style: ParagraphStyle = CELL) -> Paragraph:
        """A paragraph of `words` (translated if a `Text`), escaped: data is never markup."""
        return Paragraph(escape(self.render(words)), style)

    def title(self, words: str) -> Paragraph:
        """The report's title at the top of its first page."""
        return Paragraph(escape(self.render(words)), H1)

    def heading(self, words: str) -> Paragraph:
        """A section's heading."""
        return Paragraph(escape(self.render(words)), H2)

    def table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        styles: Iterable[tuple[Any, ...]] = (),
    ) -> Table:
        """A table with a shaded head row repeated on every page; cells are texts or flowables;
        `widths` are proportions of the page's width."""
        cells: list[list[Flowable]] = [[self.text(h, CELL_BOLD) for h in head]]
        cells += [
            # A `Text` stays itself (str() would drop its translation); numbers become words.
            [
                cell
                if isinstance(cell, Flowable)
                else self.text(cell if isinstance(cell, str) else str(cell))
                for cell in row
            ]
            for row in rows
        ]
        scale = WIDTH / sum(widths)
        table = Table(cells, colWidths=[w * scale for w in widths], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_SHADE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    TABLE_FONT,
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    *styles,
                ]
            )
        )
        return table

    def facts(self, pairs: Sequence[tuple[str, str, str, str]]) -> Table:
        """The boxed header of a report: two labelled facts a line ('Patient', 'Anna Lange')."""
        rows = [
            [
                self.text(a, CELL),
                self.text(b, CELL_BOLD),
                self.text(c, CELL),
                self.text(d, CELL_BOLD),
            ]
            for a, b, c, d in pairs
        ]
        table = Table(rows, colWidths=[WIDTH * f for f in (0.17, 0.36, 0.17, 0.30)])
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.6, colors.black),
                    ("INNERGRID", (0, 0), (-1, -1), 0.3, GRID),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    TABLE_FONT,
                ]
            )
        )
        return table

    def section(self, heading: str, body: Sequence[Flowable]) -> list[Flowable]:
        """A heading kept with the first lines of its body; 'None recorded.' when empty."""
        content = list(body) or [self.text(NONE, BODY)]
        return [
            Spacer(1, 7),
            KeepTogether([self.heading(heading), Spacer(1, 3), content[0]]),
            *content[1:],
        ]

    def signed(
        self, story: Sequence[Flowable], heading: str, body: Sequence[Flowable]
    ) -> list[Flowable]:
        """`story`, then its last section (`heading` over `body`, as `section` lays it out), then
        lines for the nurse's and the physician's name, signature, date and time, kept on one
        page with the section's last lines: signatures never stand on a page of their own, where
        they would sign nothing that page shows. (Groups kept together are not nested: a group
        inside another makes reportlab break the page before it.)"""
        blank = "_" * 34
        rows = [
            [
                self.text(QT_TRANSLATE_NOOP("Report", "Nurse (name, signature)")),
                self.text(blank),
                self.text(QT_TRANSLATE_NOOP("Report", "Date, time")),
                self.text("_" * 18),
            ],
            [
                self.text(QT_TRANSLATE_NOOP("Report", "Physician (name, signature)")),
                self.text(blank),
                self.text(QT_TRANSLATE_NOOP("Report", "Date, time")),
                self.text("_" * 18),
            ],
        ]
        table = Table(
            rows, colWidths=[WIDTH * f for f in (0.25, 0.40, 0.13, 0.22)], rowHeights=[22, 22]
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), TABLE_FONT]))
        block = [Spacer(1, 10), self.heading(SIGNATURES), Spacer(1, 4), table]
        content = list(body) or [self.text(NONE, BODY)]
        opening = [self.heading(heading), Spacer(1, 3), content[0]]
        if len(content) == 1:
            return [*story, Spacer(1, 7), KeepTogether([*opening, *block])]
        closing = KeepTogether([content[-1], *block])
        return [*story, Spacer(1, 7), KeepTogether(opening), *content[1:-1], closing]


def _paged_canvas(
    furniture: Callable[[Canvas, int, int], None],
) -> type[Canvas]:
    """A canvas that draws each page's header and footer once the number of pages is known."""

    class PagedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

        def save(self) -> None:
            pages = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                furniture(self, number, pages)
                super().showPage()
            super().save()

    return PagedCanvas


def document(
    story: list[Flowable],
    *,
    title: str,
    subject: str,
    running_head: str,
    writer: PageWriter,
) -> bytes:
    """The PDF of `story` on A4 pages with the running head, when it was made and page x of y."""
    register_fonts()
    made = writer.render(
        MADE.format(
            time=writer.local(writer.created_at).strftime("%Y-%m-%d %H:%M"), version=__version__
        )
    )

    def furniture(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.black)
        canvas.drawString(MARGIN, A4[1] - MARGIN + 12, running_head)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, MARGIN - 6, A4[0] - MARGIN, MARGIN - 6)
        canvas.drawString(MARGIN, MARGIN - 15, made)
        canvas.drawRightString(
            A4[0] - MARGIN, MARGIN - 15, writer.render(PAGE.format(page=page, pages=pages))
        )
        canvas.restoreState()

    out = io.BytesIO()
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6,
        bottomMargin=MARGIN + 4,
        title=title,
        subject=subject,
        author=f"AlemMonitor {__version__}",
        creator=f"AlemMonitor {__version__}",
        initialFontName=FONT,
    )
    template.build(story, canvasmaker=_paged_canvas(furniture))
    return out.getvalue()
