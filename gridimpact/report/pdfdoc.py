"""Building blocks of the PDF reports (reportlab platypus): styles, tables, pages.

Deterministic output: reportlab's ``invariant`` mode plus a fixed creation date
taken from ``SOURCE_DATE_EPOCH`` when it is set.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from gridimpact.report.labels import number

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 0.75 * inch
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def report_date() -> dt.date:
    """Date printed on reports: ``SOURCE_DATE_EPOCH`` if set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def styles() -> StyleSheet1:
    """The house paragraph styles."""
    sheet = getSampleStyleSheet()
    sheet.add(
        ParagraphStyle(
            "Cell",
            parent=sheet["BodyText"],
            fontSize=7.5,
            leading=9,
            alignment=TA_LEFT,
            spaceBefore=0,
            spaceAfter=0,
        )
    )
    sheet.add(ParagraphStyle("CellBold", parent=sheet["Cell"], fontName="Helvetica-Bold"))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8, leading=10))
    sheet.add(
        ParagraphStyle("Answer", parent=sheet["BodyText"], fontSize=10.5, leading=14, spaceAfter=6)
    )
    sheet.add(ParagraphStyle("CoverTitle", parent=sheet["Title"], fontSize=22, leading=28))
    sheet.add(ParagraphStyle("CoverSubtitle", parent=sheet["Heading2"]))
    sheet.add(
        ParagraphStyle("Summary", parent=sheet["BodyText"], fontSize=9.3, leading=12, spaceAfter=4)
    )
    sheet["Heading1"].fontSize = 15
    sheet["Heading2"].fontSize = 12
    return sheet


class ReportDoc(BaseDocTemplate):
    """A letter-size document with page numbers and a table of contents."""

    def __init__(self, path: str, title: str, subject: str) -> None:
        rl_config.invariant = 1
        super().__init__(
            path,
            pagesize=LETTER,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=title,
            author="gridimpact",
            subject=subject,
            creator="gridimpact",
            producer="gridimpact (reportlab)",
        )
        self._footer_title = title
        frame = Frame(MARGIN, MARGIN, CONTENT_WIDTH, PAGE_HEIGHT - 2 * MARGIN, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(MARGIN, 0.45 * inch, self._footer_title)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, 0.45 * inch, f"page {doc.page}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        """Register headings with the table of contents."""
        if isinstance(flowable, Paragraph):
            name = flowable.style.name
            if name in ("Heading1", "Heading2"):
                level = 0 if name == "Heading1" else 1
                self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def toc() -> TableOfContents:
    """A table of contents filled by :meth:`ReportDoc.afterFlowable`."""
    contents = TableOfContents()
    contents.levelStyles = [
        ParagraphStyle("TOC1", fontName="Helvetica-Bold", fontSize=10, leading=14),
        ParagraphStyle("TOC2", fontName="Helvetica", fontSize=9, leading=12, leftIndent=14),
    ]
    return contents


def fmt(value: Any) -> str:
    """A stored value as printed: the value ``results.json`` holds, with thousands
    separators (:func:`gridimpact.report.labels.number`)."""
    return number(value)


def table(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    header: bool = True,
    font_size: float = 7.5,
) -> Table:
    """A grid table whose cells wrap (never overflow the page)."""
    sheet = styles()
    # never split inside a word: identifiers reach the table in words (labels.name)
    cell = ParagraphStyle(
        "c",
        parent=sheet["Cell"],
        fontSize=font_size,
        leading=font_size * 1.2,
        splitLongWords=0,
    )
    bold = ParagraphStyle("cb", parent=cell, fontName="Helvetica-Bold")
    data = [
        [Paragraph(_escape(fmt(v)), bold if (header and i == 0) else cell) for v in row]
        for i, row in enumerate(rows)
    ]
    t = Table(data, colWidths=list(col_widths), repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")))
    t.setStyle(TableStyle(style))
    return t


def figure(
    path: str, caption: str, width: float = CONTENT_WIDTH, max_height: float = 6.2 * inch
) -> list[Flowable]:
    """A PNG scaled to ``width`` (at most ``max_height`` tall) kept on one page with its
    caption: a caption is never orphaned from its figure."""
    img = Image(path)
    scale = min(width / img.imageWidth, max_height / img.imageHeight)
    img.drawWidth = img.imageWidth * scale
    img.drawHeight = img.imageHeight * scale
    img.hAlign = "CENTER"
    return [KeepTogether([img, Paragraph(_escape(caption), styles()["Small"])]), Spacer(1, 8)]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: str = "BodyText") -> Paragraph:
    """A paragraph of plain text (escaped) in a house style."""
    return Paragraph(_escape(text), styles()[style])
