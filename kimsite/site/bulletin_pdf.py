"""Drawing the printable weekly bulletin (site.bulletin says what it shows): the only importer
of fpdf2, imported only when a bulletin is drawn.

Chosen over WeasyPrint by measured cost per bulletin with photos (docs/architecture.md,
"Offline pack and bulletin"). Drawn with the PDF core fonts (Helvetica, Windows-1252: every
Indonesian letter, no font file to embed or subset), the site's own sanitised 360 px JPEGs
(embedded as they are) and the QR codes as vector squares. The creation date is the build
date and fpdf2 derives the file ID from the content and that date, so two builds with the
same build date give the same bytes.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kimsite.site import qr
from kimsite.site.bulletin import (
    AGENDA_ROOM,
    LABELS,
    MARGIN,
    MAX_ITEMS,
    PHOTO_H,
    PHOTO_W,
    QR_SIZE,
    BulletinItem,
    BulletinSpec,
    FactBox,
    _rgb,
    _shorten,
    printable,
)


class _Sheet(FPDF):
    def __init__(self, spec: BulletinSpec) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.spec, self.labels = spec, LABELS.get(spec.language, LABELS["id"])
        self.core_fonts_encoding = "windows-1252"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)
        self.set_creation_date(spec.made_at)
        self.set_producer("kimsite")
        self.set_creator("kimsite")
        self.set_title(printable(spec.title))
        self.set_author(printable(spec.title))
        self.set_lang(spec.language)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-MARGIN - 2)
        self.set_font("Helvetica", size=8)
        self.set_text_color(90, 90, 90)
        text = f"{self.labels['more']} {self.spec.site_url} · {self.spec.made} · " \
               f"{self.labels['page']} {self.page_no()} {self.labels['of']} {{nb}}"
        self.cell(0, 4, printable(text), align="C")

    def wrap(self, text: str, width: float) -> list[str]:
        """`text` broken into lines of at most `width` mm in the current font, at spaces (a word
        too long for a line is cut). fpdf2's `multi_cell` measures each line again for every
        character it adds: two thirds of a bulletin's cost; a word's width is measured once here."""
        space, lines, line, used = self.width(" "), [], [], 0.0
        for word in printable(text).split():
            for part in self._cut(word, width):
                size = self.width(part)
                if line and used + space + size > width:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                used += (space if line else 0.0) + size
                line.append(part)
        return [*lines, " ".join(line)] if line else lines

    def width(self, text: str) -> float:
        """`get_string_width` of the core font without fpdf2's per-call set-up (a copy of the
        graphics state each time: most of a bulletin's cost when called per word)."""
        widths = self.current_font.cw
        return sum(widths[c] for c in text.encode("cp1252").decode("latin-1")) * self.font_size_pt * 0.001 / self.k

    def _cut(self, word: str, width: float) -> list[str]:
        if self.width(word) <= width:
            return [word]
        parts, part = [], ""
        for char in word:
            if part and self.width(part + char) > width:
                parts.append(part)
                part = ""
            part += char
        return [*parts, part]

    def text_height(self, width: float, line: float, text: str) -> float:
        return max(len(self.wrap(text, width)), 1) * line

    def lines(self, width: float, line: float, text: str) -> None:
        """The wrapped text from the current position down, each line starting at the same x."""
        for row in self.wrap(text, width) or [""]:
            self.cell(width, line, row, new_x=XPos.LEFT, new_y=YPos.NEXT)

    def draw_qr(self, url: str, x: float, y: float, size: float = QR_SIZE) -> None:
        matrix = qr.qr_matrix(url)
        module = size / len(matrix)
        self.set_fill_color(255, 255, 255)
        self.rect(x, y, size, size, style="F")
        self.set_fill_color(0, 0, 0)
        # one path of rectangles, filled once (fpdf2's `rect` per block cost more than the QR code
        # itself), in PDF points from the bottom left; a hair larger than the modules, so no white
        # seam shows between neighbouring blocks
        k, top = self.k, self.h
        path = " ".join(f"{(x + c * module) * k:.2f} {(top - y - r * module) * k:.2f} {(w * module + 0.01) * k:.2f} "
                        f"{-(h * module + 0.01) * k:.2f} re" for r, c, w, h in qr.dark_blocks(matrix))
        self._out(path + " f")  # noqa: SLF001 - fpdf2's content stream (pinned <2.9)


def _header(pdf: _Sheet) -> None:
    spec, width = pdf.spec, pdf.w - 2 * MARGIN
    pdf.set_fill_color(*_rgb(spec.colour))
    pdf.rect(0, 0, pdf.w, 40, style="F")
    pdf.draw_qr(spec.site_url, pdf.w - MARGIN - 28, 6, 28)
    pdf.set_xy(MARGIN, 8)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 20)
    pdf.lines(width - 34, 9, spec.title)
    pdf.set_font("Helvetica", size=10)
    pdf.lines(width - 34, 5, spec.place)
    if spec.week:
        pdf.lines(width - 34, 5, spec.week)
    pdf.lines(width - 34, 5, spec.site_url)
    pdf.set_y(44)


def _heading(pdf: _Sheet, text: str) -> None:
    pdf.set_text_color(*_rgb(pdf.spec.colour))
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 7, printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*_rgb(pdf.spec.colour))
    pdf.set_line_width(0.5)
    pdf.line(MARGIN, pdf.get_y(), pdf.w - MARGIN, pdf.get_y())
    pdf.ln(2)


def _item_height(pdf: _Sheet, item: BulletinItem, text_w: float) -> float:
    pdf.set_font("Helvetica", "B", 11.5)
    height = pdf.text_height(text_w, 5.2, item.title)
    pdf.set_font("Helvetica", size=9.5)
    height += 4.5 + pdf.text_height(text_w, 4.4, _shorten(item.summary))
    return max(height, PHOTO_H if item.photo else 0, QR_SIZE + 4) + 4


def _item(pdf: _Sheet, item: BulletinItem) -> None:
    left = MARGIN + (PHOTO_W + 4 if item.photo else 0)
    text_w = pdf.w - MARGIN - QR_SIZE - 4 - left
    top = pdf.get_y()
    if item.photo is not None:
        pdf.image(str(item.photo), x=MARGIN, y=top, w=PHOTO_W, h=PHOTO_H, keep_aspect_ratio=True)
    pdf.draw_qr(item.url, pdf.w - MARGIN - QR_SIZE, top)
    pdf.set_xy(pdf.w - MARGIN - QR_SIZE, top + QR_SIZE)
    pdf.set_font("Helvetica", size=6.5)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(QR_SIZE, 3, printable(pdf.labels["scan"]), align="C")
    pdf.set_xy(left, top)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font("Helvetica", "B", 11.5)
    title = f"[{item.verdict}] {item.title}" if item.verdict else item.title
    pdf.lines(text_w, 5.2, title)
    pdf.set_font("Helvetica", size=8)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(text_w, 4.5, printable(item.meta), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9.5)
    pdf.set_text_color(20, 20, 20)
    pdf.lines(text_w, 4.4, _shorten(item.summary))


def _items(pdf: _Sheet) -> None:
    """Headlines while two pages hold them; the rest are on the site (the footer says where)."""
    for item in pdf.spec.items[:MAX_ITEMS]:
        left = MARGIN + (PHOTO_W + 4 if item.photo else 0)
        height = _item_height(pdf, item, pdf.w - MARGIN - QR_SIZE - 4 - left)
        if pdf.get_y() + height > pdf.page_break_trigger - (AGENDA_ROOM if pdf.page_no() >= 2 else 0):
            if pdf.page_no() >= 2:
                break
            pdf.add_page()
        top = pdf.get_y()
        _item(pdf, item)
        pdf.set_y(top + height)


def _fact_box(pdf: _Sheet, box: FactBox) -> None:
    width = pdf.w - 2 * MARGIN
    pdf.set_font("Helvetica", size=9.5)
    height = 14 + pdf.text_height(width - QR_SIZE - 10, 4.4, box.claim)
    height = max(height, QR_SIZE + 6)
    top = pdf.get_y()
    pdf.set_draw_color(170, 30, 30) if box.verdict in ("HOAKS", "DISINFORMASI") else pdf.set_draw_color(60, 60, 60)
    pdf.set_line_width(0.8)
    pdf.rect(MARGIN, top, width, height)
    pdf.draw_qr(box.url, pdf.w - MARGIN - QR_SIZE - 3, top + 3)
    pdf.set_xy(MARGIN + 4, top + 3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(20, 20, 20)
    pdf.lines(width - QR_SIZE - 10, 5.5, f"{pdf.labels['fact']}: {box.verdict} - {box.title}")
    pdf.set_font("Helvetica", size=9.5)
    pdf.lines(width - QR_SIZE - 10, 4.4, box.claim)
    pdf.set_y(top + height + 4)


def _room(pdf: _Sheet, height: float) -> bool:
    """Whether `height` mm fit on this page, or a second page may be started for them."""
    if pdf.get_y() + height <= pdf.page_break_trigger:
        return True
    if pdf.page_no() >= 2:
        return False
    pdf.add_page()
    return True


def _agenda(pdf: _Sheet) -> None:
    if not _room(pdf, 20):
        return
    _heading(pdf, pdf.labels["agenda"])
    pdf.set_text_color(20, 20, 20)
    if not pdf.spec.events:
        pdf.set_font("Helvetica", size=9.5)
        pdf.cell(0, 5, printable(pdf.labels["none"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for event in pdf.spec.events[:6]:
        if not _room(pdf, 12):
            break
        pdf.set_font("Helvetica", "B", 10)
        pdf.lines(pdf.w - 2 * MARGIN, 5, event.title)
        pdf.set_font("Helvetica", size=9)
        pdf.lines(pdf.w - 2 * MARGIN, 4.4, " · ".join(p for p in (event.when, event.place) if p))
        pdf.ln(1.5)


def render(spec: BulletinSpec) -> bytes:
    """The bulletin's PDF bytes (pure but for reading the photos named in the items)."""
    pdf = _Sheet(spec)
    pdf.add_page()
    _header(pdf)
    if spec.fact_check is not None:
        _fact_box(pdf, spec.fact_check)
    _heading(pdf, pdf.labels["week" if spec.this_week else "latest"])
    _items(pdf)
    _agenda(pdf)
    return bytes(pdf.output())
