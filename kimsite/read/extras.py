"""Read what a KIM publishes beyond news: products, agenda, static pages, the aspirasi log.

Every file is validated like a post (file, line, an Indonesian-first fix); a broken
file is reported and left out, every other file and KIM still builds.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, field_validator
from slugify import slugify

from kimsite.errors import Problem, Text, display_path
from kimsite.models import ASPIRATION_STATUSES, Aspiration, Category, Event, Extras, ImageRef, Product, StaticPage
from kimsite.read import frontmatter, spam
from kimsite.read.content import DATE_HINT, FRONT_MATTER, find_category, image_output_path, old_urls
from kimsite.read.dates import parse_date
from kimsite.read.files import inside
from kimsite.read.markup import Renders
from kimsite.read.phone import normalise_whatsapp
from kimsite.read.schema import Strict, validate
from kimsite.read.yamlsrc import LineIndex, YamlProblem, decode_utf8, load_yaml, parse_yaml

M = TypeVar("M", bound=BaseModel)
# folders of a KIM site a static page cannot take
RESERVED_PAGES = {"admin", "produk", "agenda", "aspirasi", "cari", "unduh", "pagefind", "arsip", "kategori", "topik",
                  "profil", "halaman", "foto", "tema"}
STATUS_WORDS = {"received": "diterima", "forwarded": "diteruskan", "answered": "dijawab"}
EVENT_LENGTH = timedelta(hours=2)  # an event without an end


class ProductSchema(Strict):
    name: str = Field(min_length=1)
    category: str
    price: int | str
    unit: str = ""
    seller: str = Field(min_length=1)
    whatsapp: str | int
    photos: list[str] = []
    summary: str | None = None
    draft: bool = False

    @field_validator("price", mode="before")
    @classmethod
    def _no_decimal(cls, value: Any) -> Any:
        if isinstance(value, float):  # YAML reads 25.000 as 25.0: the thousands are lost
            raise ValueError("tulis tanpa titik ribuan, misalnya 25000 / write it without thousands dots, e.g. 25000")
        return value


class EventSchema(Strict):
    title: str = Field(min_length=1)
    start: Any
    end: Any = None
    place: str = Field(min_length=1)
    organiser: str | None = None
    summary: str | None = None
    draft: bool = False


class PageSchema(Strict):
    title: str = Field(min_length=1)
    order: int = 100
    summary: str | None = None
    draft: bool = False
    old_url: str | None = None  # as in posts: the address it was imported from
    old_id: str | None = None


class AspirationSchema(Strict):
    received: date
    summary: str = Field(min_length=1)
    category: str = ""
    rw: str | int = ""
    status: str
    forwarded_to: str = ""
    answer: str = ""
    answered: date | None = None

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        word = STATUS_WORDS.get(value.strip().casefold(), value.strip().casefold())
        if word not in ASPIRATION_STATUSES:
            raise ValueError("harus diterima, diteruskan atau dijawab / must be received, forwarded or answered")
        return word


class AspirationLogSchema(Strict):
    entries: list[AspirationSchema] = []


HINTS = {
    "name": Text("tambahkan 'name: Nama produk'", "add 'name: Product name'"),
    "price": Text("tulis harga seperti 'price: 25000' atau rentang 'price: 15000-30000'",
                  "write the price like 'price: 25000' or a range 'price: 15000-30000'"),
    "seller": Text("tambahkan 'seller: nama penjual atau usaha'", "add 'seller: the seller or business'"),
    "whatsapp": Text("tulis nomor seperti \"0812-3456-7890\"", "write the number like \"0812-3456-7890\""),
    "start": DATE_HINT, "end": DATE_HINT,
    "place": Text("tambahkan 'place: tempat acara'", "add 'place: where it happens'"),
    "status": Text("pilih diterima, diteruskan atau dijawab", "choose diterima, diteruskan or dijawab"),
    "received": Text("tulis tanggal seperti 2026-10-02", "write the date like 2026-10-02"),
}


@dataclass(frozen=True)
class ExtrasSpec:
    """What reading one KIM's other content needs (small, frozen, picklable)."""

    kim: str
    timezone: str  # IANA name
    product_categories: tuple[Category, ...]
    default_organiser: str
    root: Path  # paths in messages are shown relative to this
    spam: Any = None  # read.spam.SpamRules (None: not checked)


@dataclass
class ExtrasResult:
    extras: Extras = Extras()
    problems: list[Problem] = field(default_factory=list)


class _Bad(Exception):
    def __init__(self, *problems: Problem):
        super().__init__(problems[0].render())
        self.problems = list(problems)


@dataclass
class _Doc:
    """One Markdown file with front matter, read and validated."""

    source: Path
    shown: str
    meta: Any
    index: LineIndex
    body: str
    body_line: int  # the line of the file the body starts on

    @property
    def slug(self) -> str:
        return slugify(self.source.stem) or "isi"

    def problem(self, message: Text, hint: Text | None, key: str | None = None) -> _Bad:
        line = self.index.line_of((key,)) if key else 1
        return _Bad(Problem(self.shown, message, hint, line=line or 1, key=key))


def _read_doc(source: Path, shown: str, schema: type[M]) -> _Doc:
    try:
        text = decode_utf8(source.read_bytes(), shown)
        match = FRONT_MATTER.match(text)
        if not match:
            raise _Bad(Problem(shown, Text("front matter YAML tidak ditemukan", "no YAML front matter found"),
                               Text("awali berkas dengan baris '---', isi kunci-kuncinya, lalu '---' lagi",
                                    "start the file with a '---' line, the keys, then '---' again"), line=1))
        data, index = parse_yaml(match["meta"], shown, line_offset=1)
    except YamlProblem as err:
        raise _Bad(err.problem) from None
    meta, problems = validate(schema, data, index, shown, HINTS)
    if meta is None:
        raise _Bad(*problems)
    doc = _Doc(source, shown, meta, index, text[match.end():], text[:match.end()].count("\n") + 1)
    if not getattr(meta, "draft", False):
        _no_placeholder(doc)
    return doc


def _no_placeholder(doc: _Doc) -> None:
    """The text `kimsite new` wrote is not a product, an event or a page yet."""
    fields = {k: v for k, v in doc.meta.model_dump().items() if isinstance(v, str)}
    text = frontmatter.placeholder_in(fields.values(), doc.body)
    if text is None:
        return
    key = next((k for k, v in fields.items() if v.strip() == text), None)
    line = next((doc.body_line + n for n, row in enumerate(doc.body.splitlines()) if text in row), None)
    raise _Bad(Problem(doc.shown, Text(f"teks contoh dari 'kimsite new' belum diganti: \"{text}\"",
                                       f"the example text from 'kimsite new' is still there: \"{text}\""),
                       Text("ganti teks contoh itu dengan isi yang sebenarnya",
                            "replace that example text with the real one"),
                       line=doc.index.line_of((key,)) if key else line, key=key))


def _is_date_only(value: Any) -> bool:
    """A date without a time: an all-day event."""
    if isinstance(value, datetime):
        return False
    return isinstance(value, date) or (isinstance(value, str) and bool(re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", value)))


MAX_PRICE = 10**12  # rupiah: a trillion is a typo, not a product


def parse_price(value: int | str) -> tuple[int, int] | None:
    """25000 → (25000, 25000); '15.000 - 30.000' → (15000, 30000); None when unreadable."""
    if isinstance(value, float):  # 1e308, 2.5: never a price in rupiah as written
        return None
    numbers = [int(re.sub(r"\D", "", n)) for n in re.findall(r"\d[\d.,]*", str(value))]
    if isinstance(value, int) and not isinstance(value, bool):
        numbers = [value]
    if (len(numbers) not in (1, 2) or any(n <= 0 or n > MAX_PRICE for n in numbers)
            or numbers[0] > numbers[-1]):
        return None
    return numbers[0], numbers[-1]


class _Reader:
    def __init__(self, kim_dir: Path, spec: ExtrasSpec, renderer: Renders):
        self.kim_dir, self.spec, self.renderer = kim_dir, spec, renderer
        self.tz = ZoneInfo(spec.timezone)

    def render(self, doc: _Doc) -> tuple[str, str]:
        """(HTML, first paragraph); local photos are not supported in these bodies."""
        rendered = self.renderer.render(doc.body, lambda _src: None)
        if rendered.missing_images:
            name = rendered.missing_images[0]
            line = next((doc.body_line + n for n, text in enumerate(doc.body.splitlines()) if name in text), 1)
            raise _Bad(Problem(doc.shown, Text(f"foto '{name}' di isi tidak didukung di sini",
                                               f"photo '{name}' in the body is not supported here"),
                               Text("untuk produk, daftar foto di 'photos:'; selain itu hapus fotonya",
                                    "for a product list photos under 'photos:'; otherwise remove the photo"),
                               line=line))
        return rendered.html, rendered.first_paragraph

    def photo(self, doc: _Doc, name: str, alt: str) -> ImageRef:
        path = doc.source.parent / name
        if not inside(path, self.kim_dir) or not path.is_file():
            raise doc.problem(Text(f"foto '{name}' tidak ditemukan di folder KIM",
                                   f"photo '{name}' not found in the KIM's folder"),
                              Text("simpan foto di folder products/ dan tulis nama berkasnya saja",
                                   "keep the photo in the products/ folder and give its file name"), "photos")
        return ImageRef(path, image_output_path(path), alt)

    def product(self, doc: _Doc) -> Product:
        meta: ProductSchema = doc.meta
        category = find_category(meta.category, self.spec.product_categories)
        if category is None:
            names = ", ".join(c.slug for c in self.spec.product_categories)
            raise doc.problem(Text(f"kategori produk '{meta.category}' tidak dikenal",
                                   f"unknown product category '{meta.category}'"),
                              Text(f"pilih salah satu: {names}", f"choose one of: {names}"), "category")
        price = parse_price(meta.price)
        if price is None:
            raise doc.problem(Text(f"harga '{meta.price}' tidak dapat dibaca", f"price '{meta.price}' cannot be read"),
                              HINTS["price"], "price")
        number = normalise_whatsapp(str(meta.whatsapp))
        if number is None:
            raise doc.problem(Text(f"nomor WhatsApp '{meta.whatsapp}' tidak valid",
                                   f"WhatsApp number '{meta.whatsapp}' is not valid"),
                              Text("tulis nomor HP Indonesia seperti \"0812-3456-7890\" atau \"+6281234567890\"",
                                   "write an Indonesian mobile number like \"0812-3456-7890\" or \"+6281234567890\""),
                              "whatsapp")
        photos = tuple(self.photo(doc, name, f"{meta.name} ({n})" if n > 1 else meta.name)
                       for n, name in enumerate(meta.photos, start=1))
        html, first = self.render(doc)
        return Product(kim=self.spec.kim, source=doc.source, shown_path=doc.shown, slug=doc.slug, name=meta.name,
                       category=category, price_min=price[0], price_max=price[1], unit=meta.unit,
                       seller=meta.seller, whatsapp=number, summary=meta.summary or first, html=html, photos=photos)

    def when(self, doc: _Doc, key: str, value: Any) -> datetime:
        when = parse_date(value, self.tz)
        if when is None:
            raise doc.problem(Text(f"tanggal '{value}' tidak dapat dibaca", f"date '{value}' cannot be read"),
                              DATE_HINT, key)
        return when

    def event(self, doc: _Doc) -> Event:
        meta: EventSchema = doc.meta
        if meta.start is None:
            raise doc.problem(Text("kunci 'start' wajib diisi", "key 'start' is required"), DATE_HINT, "start")
        start, all_day = self.when(doc, "start", meta.start), _is_date_only(meta.start)
        if meta.end is None:
            end = start + (timedelta(days=1) if all_day else EVENT_LENGTH)
        else:  # an all-day end date is the last day: the calendar's end is the next midnight
            end = self.when(doc, "end", meta.end)
            end = datetime.combine(end.date() + timedelta(days=1), time(0), self.tz) if all_day else end
        if end <= start:
            raise doc.problem(Text("acara berakhir sebelum dimulai", "the event ends before it starts"),
                              Text("periksa 'start' dan 'end'", "check 'start' and 'end'"), "end")
        html, first = self.render(doc)
        return Event(kim=self.spec.kim, shown_path=doc.shown, slug=doc.slug, title=meta.title, start=start, end=end,
                     all_day=all_day, place=meta.place, organiser=meta.organiser or self.spec.default_organiser,
                     summary=meta.summary or first, html=html)

    def page(self, doc: _Doc) -> StaticPage:
        meta: PageSchema = doc.meta
        if doc.slug in RESERVED_PAGES or doc.slug.isdigit():
            raise doc.problem(Text(f"nama halaman '{doc.slug}' sudah dipakai situs",
                                   f"page name '{doc.slug}' is taken by the site"),
                              Text("ganti nama berkas, misalnya sejarah-desa.md",
                                   "rename the file, e.g. sejarah-desa.md"))
        html, first = self.render(doc)
        return StaticPage(doc.source, doc.shown, doc.slug, meta.title, meta.order, meta.summary or first, html,
                          old_urls(meta.old_url, meta.old_id))


def _each(folder: Path, spec: ExtrasSpec, schema: type[M], build: Callable[[_Doc], Any],
          problems: list[Problem]) -> list[Any]:
    """Every non-draft file of one folder built by `build`; problems collected, never raised.

    Two files whose names give the same slug (Gula.md, gula.md) would share an address:
    the second is an error."""
    built: dict[str, Any] = {}
    for source in sorted(folder.glob("*.md")):
        shown = display_path(source, spec.root)
        try:
            doc = _read_doc(source, shown, schema)
            if not doc.meta.draft:
                _no_spam(source, shown, spec)
            if doc.slug in built:
                raise doc.problem(Text(f"nama '{doc.slug}' sudah dipakai {built[doc.slug].shown_path}",
                                       f"name '{doc.slug}' is already used by {built[doc.slug].shown_path}"),
                                  Text("ganti nama berkas ini", "rename this file"))
            if not doc.meta.draft:
                built[doc.slug] = build(doc)
        except _Bad as bad:
            problems += [dataclasses.replace(p, site=spec.kim) for p in bad.problems]
    return list(built.values())


def _no_spam(source: Path, shown: str, spec: ExtrasSpec) -> None:
    if spec.spam is not None:
        held = spam.problems(spam.check(source.read_text(encoding="utf-8", errors="replace"), shown, spec.spam),
                             shown, spec.kim)
        if held:
            raise _Bad(*held)


def load_aspirations(path: Path, spec: ExtrasSpec) -> tuple[tuple[Aspiration, ...], list[Problem]]:
    if not path.is_file():
        return (), []
    shown = display_path(path, spec.root)
    try:
        data, index = load_yaml(path, shown)
    except YamlProblem as err:
        return (), [dataclasses.replace(err.problem, site=spec.kim)]
    log, problems = validate(AspirationLogSchema, data, index, shown, HINTS)
    if log is None:
        return (), [dataclasses.replace(p, site=spec.kim) for p in problems]
    try:
        _no_spam(path, shown, spec)
    except _Bad as bad:
        return (), list(bad.problems)
    return tuple(Aspiration(e.received, e.summary, e.category, str(e.rw), e.status, e.forwarded_to,
                            e.answer.strip(), e.answered) for e in log.entries), []


def sort_extras(extras: Extras, product_categories: tuple[Category, ...]) -> Extras:
    """Products by category (the config's order) then name, events by start, pages by `order`."""
    order = {c.slug: n for n, c in enumerate(product_categories)}
    return Extras(products=tuple(sorted(extras.products, key=lambda p: (order.get(p.category.slug, len(order)),
                                                                         p.name.casefold(), p.slug))),
                  events=tuple(sorted(extras.events, key=lambda e: (e.start, e.slug))),
                  aspirations=tuple(sorted(extras.aspirations, key=lambda a: a.received, reverse=True)),
                  pages=tuple(sorted(extras.pages, key=lambda p: (p.order, p.slug))))


def load_extras(kim_dir: Path, spec: ExtrasSpec, renderer: Renders) -> ExtrasResult:
    """Products, agenda, static pages and the aspirasi log of one KIM, plus the problems found."""
    reader, problems = _Reader(kim_dir, spec, renderer), []
    products = _each(kim_dir / "products", spec, ProductSchema, reader.product, problems)
    events = _each(kim_dir / "agenda", spec, EventSchema, reader.event, problems)
    pages = _each(kim_dir / "pages", spec, PageSchema, reader.page, problems)
    aspirations, found = load_aspirations(kim_dir / "aspirasi.yaml", spec)
    extras = Extras(tuple(products), tuple(events), aspirations, tuple(pages))
    return ExtrasResult(sort_extras(extras, spec.product_categories), problems + found)
