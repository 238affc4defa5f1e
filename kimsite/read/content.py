"""Read one KIM's folder: profile.yaml and posts → models, with per-file problems.

A broken post is reported (file, line, fix) and skipped; the rest still build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from slugify import slugify

from kimsite.errors import Problem, Text, display_path
from kimsite.models import (
    VERDICTS,
    Category,
    FactCheck,
    ImageRef,
    Post,
    PostSkips,
)
from kimsite.read.files import inside
from kimsite.read.markup import Renders
from kimsite.read.schema import Strict, validate
from kimsite.read.yamlsrc import LineIndex, YamlProblem, decode_utf8, parse_yaml

POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<meta>.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)
SUMMARY_LIMIT = 200
DATE_HINT = Text("tulis tanggal seperti 2025-03-14 atau 2025-03-14 09:30",
                 "write the date like 2025-03-14 or 2025-03-14 09:30")


class PostSchema(Strict):
    title: str = Field(min_length=1)
    date: Any = None
    author: str | None = None
    category: str  # a cek-fakta post defaults to the cek-fakta category
    tags: list[str] = []
    summary: str | None = None
    image: str | None = None
    image_alt: str | None = None
    draft: bool = False
    type: Literal["berita", "cek-fakta"] = "berita"
    claim: str | None = None
    verdict: str | None = None
    sources: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _fact_check_category(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("type") == "cek-fakta" and data.get("category") is None:
            return {**data, "category": "cek-fakta"}
        return data

    @field_validator("verdict")
    @classmethod
    def _verdict(cls, value: str | None) -> str | None:
        if value is not None and " ".join(value.upper().split()) not in VERDICTS:
            raise ValueError(f"harus salah satu dari / must be one of: {', '.join(VERDICTS)}")
        return None if value is None else " ".join(value.upper().split())

    @field_validator("sources")
    @classmethod
    def _urls(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not re.match(r"^https?://\S+$", v)]
        if bad:
            raise ValueError(f"bukan alamat web / not a web address: {bad[0]}")
        return value

    @field_validator("tags", mode="before")
    @classmethod
    def _comma_tags(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [t.strip() for t in value.split(",") if t.strip()]
        return [str(v) for v in value] if isinstance(value, list) else value


HINTS = {
    "title": Text("tambahkan judul: 'title: Judul Berita'", "add a title: 'title: News headline'"),
    "category": Text("tambahkan 'category: berita' (lihat daftar kategori di docs/content-format.md)",
                     "add 'category: berita' (see the categories in docs/content-format.md)"),
    "type": Text("tulis 'type: cek-fakta' untuk cek fakta, atau hapus baris ini",
                 "write 'type: cek-fakta' for a fact check, or remove this line"),
    "verdict": Text(f"pilih salah satu: {', '.join(VERDICTS)}", f"choose one of: {', '.join(VERDICTS)}"),
    "sources": Text("daftar alamat web sumber, misalnya [https://www.komdigi.go.id/...]",
                    "a list of source web addresses, e.g. [https://www.komdigi.go.id/...]"),
}


@dataclass(frozen=True)
class PostSpec:
    """What reading one KIM's posts needs to know (small, frozen, picklable)."""

    kim: str
    site_url: str
    timezone: str  # IANA name
    build_time: datetime
    categories: tuple[Category, ...]
    default_author: str
    root: Path  # paths in messages are shown relative to this


@dataclass
class PostsResult:
    posts: list[Post] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skips: PostSkips = PostSkips()


class _Skip(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def image_output_path(source: Path) -> str:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
    return f"foto/{slugify(source.stem) or 'foto'}-{digest}.jpg"


def parse_date(value: Any, tz: ZoneInfo) -> datetime | None:
    """A front-matter date in the site's timezone; None when it cannot be read."""
    if isinstance(value, datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tz)
    if not isinstance(value, str):
        return None
    text = value.strip().replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.astimezone(tz) if parsed.tzinfo else parsed.replace(tzinfo=tz)


def find_category(value: str, categories: tuple[Category, ...]) -> Category | None:
    wanted = value.strip().casefold()
    return next((c for c in categories if wanted in (c.slug, c.name.casefold(), slugify(c.name))), None)


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter, body, line of the body's first line)."""
    match = FRONT_MATTER.match(text)
    if not match:
        raise _Skip(Problem(shown, Text("front matter YAML tidak ditemukan", "no YAML front matter found"),
                            Text("awali berkas dengan baris '---', isi judul dll., lalu '---' lagi",
                                 "start the file with a '---' line, the title etc., then '---' again"),
                            line=1))
    return match["meta"], text[match.end():], text[: match.end()].count("\n") + 1


class _PostReader:
    """Reads the posts of one KIM; one instance per KIM, one renderer per worker."""

    def __init__(self, kim_dir: Path, spec: PostSpec, renderer: Renders):
        self.kim_dir, self.spec, self.renderer = kim_dir, spec, renderer
        self.tz = ZoneInfo(spec.timezone)
        self.index = LineIndex()  # of the post being read: problems find their line in it

    def problem(self, shown: str, message: Text, hint: Text | None = None, *,
                line: int | None = None, key: str | None = None) -> _Skip:
        if line is None and key is not None:
            line = self.index.lines.get((key,))
            line = None if line is None else line + self.index.offset
        return _Skip(Problem(shown, message, hint, line=line, key=key, site=self.spec.kim))

    def read(self, source: Path) -> Post | str:
        """The post, or "draft"/"scheduled" when it is not published yet."""
        shown = display_path(source, self.spec.root)
        try:
            text = decode_utf8(source.read_bytes(), shown)
            meta_text, body, body_line = split_front_matter(text, shown)
            data, index = parse_yaml(meta_text, shown, line_offset=1)
        except YamlProblem as err:
            raise _Skip(err.problem) from None
        self.index = index
        meta, problems = validate(PostSchema, data, index, shown, HINTS)
        if meta is None:
            raise _Skip(problems[0]) if len(problems) == 1 else _ManyProblems(problems)
        if meta.draft:
            return "draft"
        return self.build(source, shown, meta, (body, body_line), index.line_of(("date",)) or 1)

    def when(self, source: Path, shown: str, meta: PostSchema, line: int) -> datetime:
        named = POST_NAME.match(source.stem)
        raw = meta.date if meta.date is not None else (named["date"] if named else None)
        if raw is None:
            raise self.problem(shown, Text("tanggal tidak ada", "date is missing"), DATE_HINT, line=1, key="date")
        when = parse_date(raw, self.tz)
        if when is None:
            raise self.problem(shown, Text(f"tanggal '{raw}' tidak dapat dibaca", f"date '{raw}' cannot be read"),
                               DATE_HINT, line=line, key="date")
        return when

    def lead_image(self, source: Path, shown: str, meta: PostSchema) -> ImageRef | None:
        if not meta.image:
            return None
        path = self.local_file(source, shown, meta.image, key="image")
        if not meta.image_alt:
            raise self.problem(shown, Text("foto utama belum punya keterangan (image_alt)",
                                           "the lead photo has no description (image_alt)"),
                               Text("tambahkan 'image_alt: apa yang tampak di foto'",
                                    "add 'image_alt: what the photo shows'"), key="image_alt",
                               line=self.index.line_of(("image",)))
        return ImageRef(path, image_output_path(path), meta.image_alt)

    def local_file(self, source: Path, shown: str, name: str, *, key: str) -> Path:
        path = source.parent / name
        if not inside(path, self.kim_dir):
            raise self.problem(shown, Text(f"'{name}' menunjuk ke luar folder KIM",
                                           f"'{name}' points outside the KIM's folder"),
                               Text("simpan foto di folder posts/ KIM ini dan tulis nama berkasnya saja",
                                    "keep the photo in this KIM's posts/ folder and give its file name"), key=key)
        if not path.is_file():
            raise self.problem(shown, Text(f"berkas '{name}' tidak ditemukan", f"file '{name}' not found"),
                               Text("periksa nama berkas (huruf besar/kecil berpengaruh)",
                                    "check the file name (upper/lower case matters)"), key=key)
        return path

    def build(self, source: Path, shown: str, meta: PostSchema, body_at: tuple[str, int], date_line: int) -> Post:
        spec, (body, body_line) = self.spec, body_at
        when = self.when(source, shown, meta, date_line)
        category = self.category(shown, meta.category)
        fact_check = self.fact_check(shown, meta)
        lead = self.lead_image(source, shown, meta)
        inline: dict[str, ImageRef] = {}

        def resolve(src: str) -> str | None:
            try:
                path = self.local_file(source, shown, src, key="image")
            except _Skip:
                return None
            inline[src] = ImageRef(path, image_output_path(path))
            return spec.site_url + inline[src].output_path

        rendered = self.renderer.render(body, resolve)
        if rendered.missing_images:
            name = rendered.missing_images[0]
            line = next((body_line + n for n, text in enumerate(body.splitlines()) if name in text), None)
            try:
                self.local_file(source, shown, name, key="image")
            except _Skip as skip:
                raise _Skip(dataclasses.replace(skip.problem, line=line)) from None
        named = POST_NAME.match(source.stem)
        slug = slugify(named["slug"] if named else source.stem)
        summary = (meta.summary or rendered.first_paragraph).strip()
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        images = ((lead,) if lead else ()) + tuple(inline.values())
        return Post(kim=spec.kim, source=source, shown_path=shown, slug=slug, title=meta.title, date=when,
                    author=meta.author or spec.default_author, category=category,
                    tags=tuple(dict.fromkeys(t for t in meta.tags if t)), summary=summary,
                    html=rendered.html, url_path=f"{when:%Y}/{when:%m}/{slug}/", image=lead, images=images,
                    fact_check=fact_check)

    def category(self, shown: str, wanted: str) -> Category:
        categories = self.spec.categories
        category = find_category(wanted, categories)
        if category is None:
            names = ", ".join(c.slug for c in categories)
            raise self.problem(shown, Text(f"kategori '{wanted}' tidak dikenal", f"unknown category '{wanted}'"),
                               Text(f"pilih salah satu: {names}", f"choose one of: {names}"), key="category")
        return category

    def fact_check(self, shown: str, meta: PostSchema) -> FactCheck | None:
        """A cek-fakta post needs its claim and verdict; other posts must not carry them."""
        if meta.type != "cek-fakta":
            extra = next((k for k in ("claim", "verdict", "sources") if getattr(meta, k)), None)
            if extra is not None:
                raise self.problem(shown, Text(f"'{extra}' hanya untuk tulisan cek fakta",
                                               f"'{extra}' is only for fact checks"), HINTS["type"], key=extra)
            return None
        for key in ("claim", "verdict"):
            if not getattr(meta, key):
                raise self.problem(shown, Text(f"cek fakta perlu kunci '{key}'", f"a fact check needs the key '{key}'"),
                                   HINTS.get(key) or Text("tambahkan 'claim: isi klaim yang diperiksa'",
                                                          "add 'claim: the claim that was checked'"),
                                   line=self.index.line_of(("type",)), key=key)
        return FactCheck(meta.claim or "", meta.verdict or "", tuple(meta.sources))


class _ManyProblems(_Skip):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0])
        self.problems = problems


def load_posts(kim_dir: Path, spec: PostSpec, renderer: Renders) -> PostsResult:
    """Every publishable post of one KIM, newest first, plus the problems of the rest."""
    result = PostsResult()
    reader = _PostReader(kim_dir, spec, renderer)
    drafts = scheduled = 0
    next_due: datetime | None = None
    urls: dict[str, str] = {}
    for source in sorted((kim_dir / "posts").glob("*.md")):
        try:
            post = reader.read(source)
        except _ManyProblems as many:
            result.problems.extend(many.problems)
            continue
        except _Skip as skip:
            result.problems.append(skip.problem)
            continue
        if post == "draft":
            drafts += 1
        elif isinstance(post, Post) and post.date > spec.build_time:
            scheduled += 1
            next_due = post.date if next_due is None else min(next_due, post.date)
        elif isinstance(post, Post) and post.url_path in urls:
            result.problems.append(Problem(post.shown_path, Text(
                f"alamat {post.url_path} sudah dipakai {urls[post.url_path]}",
                f"address {post.url_path} is already used by {urls[post.url_path]}"),
                Text("ganti nama berkas agar slug-nya berbeda", "rename the file so its slug differs"),
                line=1, site=spec.kim))
        elif isinstance(post, Post):
            urls[post.url_path] = post.shown_path
            result.posts.append(post)
    result.posts.sort(key=lambda p: (p.date, p.slug), reverse=True)
    result.skips = PostSkips(drafts=drafts, scheduled=scheduled, next_scheduled=next_due)
    return result
