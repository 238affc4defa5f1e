"""Read one KIM's posts → models, with per-file problems.

A post is published whenever its intent is clear, with a warning naming file, line and
tidy-up (an unknown category, an alias key, a date in another spelling, a photo without
a description). It is held back only when publishing it would be wrong: no title, no
date anywhere, placeholder text, a photo outside the KIM's folder, a URL taken twice.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from slugify import slugify

from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import (
    DEFAULT_CATEGORIES,
    Category,
    FactCheck,
    ImageRef,
    Post,
    PostSkips,
)
from kimsite.read import frontmatter, spam
from kimsite.read.dates import parse_date
from kimsite.read.files import inside
from kimsite.read.markup import Renders
from kimsite.read.postschema import HINTS, PostSchema
from kimsite.read.schema import validate
from kimsite.read.yamlsrc import LineIndex, YamlProblem

POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
FRONT_MATTER = frontmatter.YAML_FENCE
SUMMARY_LIMIT = 200
DATE_HINT = Text("tulis tanggal seperti 2025-03-14, 2025-03-14 09:30 atau 14 Maret 2025",
                 "write the date like 2025-03-14, 2025-03-14 09:30 or 14 Maret 2025")


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
    default_category: Category = DEFAULT_CATEGORIES[0]  # of a post whose category is missing or unknown
    drafts: bool = False  # a preview: drafts and scheduled posts are published too
    spam: Any = None  # read.spam.SpamRules (None: not checked)


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


def old_urls(*values: str | None) -> tuple[str, ...]:
    """The addresses an imported post or page had (its id too, when it is one: `?p=123`)."""
    return tuple(dict.fromkeys(v for v in values if v and re.match(r"^(https?://[^\s]+|/[^\s]*)$", v)))


def find_category(value: str, categories: tuple[Category, ...]) -> Category | None:
    """The category written, by slug or by name, ignoring case and accents ('Pertanían' is pertanian)."""
    wanted = slugify(str(value))
    return next((c for c in categories if wanted and wanted in (c.slug, slugify(c.name))), None)


class _PostReader:
    """Reads the posts of one KIM; one instance per KIM, one renderer per worker."""

    def __init__(self, kim_dir: Path, spec: PostSpec, renderer: Renders):
        self.kim_dir, self.spec, self.renderer = kim_dir, spec, renderer
        self.tz = ZoneInfo(spec.timezone)
        self.index = LineIndex()  # of the post being read: problems find their line in it
        self.warnings: list[Problem] = []  # of the post being read: it is published with them

    def problem(self, shown: str, message: Text, hint: Text | None = None, *,
                line: int | None = None, key: str | None = None) -> _Skip:
        if line is None and key is not None:
            line = self.index.lines.get((key,))
            line = None if line is None else line + self.index.offset
        return _Skip(Problem(shown, message, hint, line=line, key=key, site=self.spec.kim))

    def warn(self, shown: str, message: Text, hint: Text | None, key: str, line: int | None = None) -> None:
        line = line if line is not None else self.index.line_of((key,))
        self.warnings.append(Problem(shown, message, hint, line=line, key=key, site=self.spec.kim,
                                     severity=Severity.WARNING))

    def read(self, source: Path) -> Post | str:
        """The post, or "draft"/"scheduled" when it is not published yet."""
        shown = display_path(source, self.spec.root)
        self.warnings = []
        try:
            found = frontmatter.read_source(source.read_bytes(), shown)
        except YamlProblem as err:
            raise _Skip(err.problem) from None
        self.index = found.index
        frontmatter.normalise(found, shown, PostSchema.model_fields)
        self.warnings = [dataclasses.replace(w, site=self.spec.kim) for w in found.warnings]
        meta, problems = validate(PostSchema, found.data, found.index, shown, HINTS)
        if meta is None:
            raise _Skip(problems[0]) if len(problems) == 1 else _ManyProblems(problems)
        if meta.draft and not self.spec.drafts:
            return "draft"
        self.placeholder(shown, meta, found.body, found.body_line)
        if self.spec.spam is not None:
            self.no_spam(found.text, shown)
        return self.build(source, shown, meta, (found.body, found.body_line), found.index.line_of(("date",)) or 1)

    def no_spam(self, text: str, shown: str) -> None:
        held = spam.problems(spam.check(text, shown, self.spec.spam), shown, self.spec.kim)
        if held:
            raise _ManyProblems(held)

    def placeholder(self, shown: str, meta: PostSchema, body: str, body_line: int) -> None:
        text = frontmatter.placeholder_in((meta.title, meta.summary, meta.claim), body)
        if text is None:
            return
        in_body = next((body_line + n for n, line in enumerate(body.splitlines()) if text in line), None)
        key = next((k for k in ("title", "summary", "claim") if getattr(meta, k) == text), None)
        raise self.problem(shown, Text(f"teks contoh dari 'kimsite new' belum diganti: \"{text}\"",
                                       f"the example text from 'kimsite new' is still there: \"{text}\""),
                           Text("ganti teks contoh itu dengan isi berita Anda",
                                "replace that example text with your news"),
                           line=in_body, key=key)

    def when(self, source: Path, shown: str, meta: PostSchema, line: int) -> datetime:
        """The post's date; one that looks mistyped (1900, 9999) gets a warning."""
        when = self._when(source, shown, meta, line)
        if not 1990 <= when.year <= self.spec.build_time.year + 5:
            self.warn(shown, Text(f"tahun {when.year} tampak keliru", f"the year {when.year} looks wrong"),
                      DATE_HINT, "date", line)
        return when

    def _when(self, source: Path, shown: str, meta: PostSchema, line: int) -> datetime:
        """The date written, else the file name's; an error only when neither gives one."""
        named = POST_NAME.match(source.stem)
        from_name = parse_date(named["date"], self.tz) if named else None
        when = parse_date(meta.date, self.tz) if meta.date is not None else None
        if when is not None:
            if named is None:
                self.warn(shown, Text("nama berkas tidak diawali tanggal; berkas berita lebih mudah dicari bila "
                                      "namanya diawali tanggal", "the file name does not start with the date; news "
                                      "files are easier to find when it does"),
                          Text(f"ganti nama berkas menjadi {when:%Y-%m-%d}-{source.stem}.md",
                               f"rename the file to {when:%Y-%m-%d}-{source.stem}.md"), "date", 1)
            return when
        if meta.date is not None and from_name is not None:
            self.warn(shown, Text(f"tanggal '{meta.date}' tidak dapat dibaca; dipakai tanggal dari nama berkas "
                                  f"({from_name:%Y-%m-%d})", f"date '{meta.date}' cannot be read; the file name's "
                                  f"date ({from_name:%Y-%m-%d}) is used"), DATE_HINT, "date", line)
        if from_name is not None:
            return from_name
        if meta.date is None:
            raise self.problem(shown, Text("tanggal tidak ada", "date is missing"),
                               Text("tambahkan 'date: 2025-03-14' atau awali nama berkas dengan tanggal "
                                    "(2025-03-14-judul.md)", "add 'date: 2025-03-14' or start the file name "
                                    "with the date (2025-03-14-title.md)"), line=1, key="date")
        raise self.problem(shown, Text(f"tanggal '{meta.date}' tidak dapat dibaca",
                                       f"date '{meta.date}' cannot be read"),
                           DATE_HINT, line=line, key="date")

    def updated(self, shown: str, meta: PostSchema, published: datetime) -> datetime | None:
        if meta.updated is None:
            return None
        when = parse_date(meta.updated, self.tz)
        if when is None:
            self.warn(shown, Text(f"tanggal diperbarui '{meta.updated}' tidak dapat dibaca; diabaikan",
                                  f"updated date '{meta.updated}' cannot be read; ignored"), DATE_HINT, "updated")
        return when if when is not None and when > published else None

    def lead_image(self, source: Path, shown: str, meta: PostSchema) -> ImageRef | None:
        if not meta.image:
            return None
        path = self.local_file(source, shown, meta.image, key="image")
        if not meta.image_alt:
            self.warn(shown, Text("foto utama belum punya keterangan (image_alt); dipakai judul",
                                  "the lead photo has no description (image_alt); the title is used"),
                      Text("tambahkan 'image_alt: apa yang tampak di foto'", "add 'image_alt: what the photo shows'"),
                      "image_alt", self.index.line_of(("image",)))
        return ImageRef(path, image_output_path(path), meta.image_alt or meta.title)

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
        category, tags = self.category(shown, meta)
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
        slug = self.slug(source, shown, meta)
        summary = (meta.summary or rendered.first_paragraph).strip()
        if len(summary) > SUMMARY_LIMIT:
            summary = summary[: SUMMARY_LIMIT - 1].rsplit(" ", 1)[0] + "…"
        images = ((lead,) if lead else ()) + tuple(inline.values())
        return Post(kim=spec.kim, source=source, shown_path=shown, slug=slug, title=meta.title, date=when,
                    author=meta.author or spec.default_author, category=category,
                    tags=tuple(dict.fromkeys(t for t in tags if t)), summary=summary,
                    html=rendered.html, url_path=f"{when:%Y}/{when:%m}/{slug}/", image=lead, images=images,
                    fact_check=fact_check, updated=self.updated(shown, meta, when) or self.corrected(shown, meta, when),
                    correction=meta.ralat or None, old_urls=old_urls(meta.old_url, meta.old_id))

    def corrected(self, shown: str, meta: PostSchema, published: datetime) -> datetime | None:
        """A correction without `updated:`: the build date stands in, with a warning."""
        if not meta.ralat:
            return None
        self.warn(shown, Text("ralat tanpa tanggal 'updated'; dipakai tanggal build",
                              "a correction without an 'updated' date; the build date is used"),
                  Text("tambahkan 'updated: 2026-12-01' (tanggal ralat)", "add 'updated: 2026-12-01' (the day of "
                       "the correction)"), "ralat")
        return max(self.spec.build_time.replace(second=0, microsecond=0), published)

    def slug(self, source: Path, shown: str, meta: PostSchema) -> str:
        named = POST_NAME.match(source.stem)
        from_name = slugify(named["slug"] if named else source.stem)
        if meta.slug is None:
            return from_name
        slug = slugify(meta.slug)
        if not slug:
            self.warn(shown, Text(f"slug '{meta.slug}' kosong setelah dirapikan; dipakai nama berkas",
                                  f"slug '{meta.slug}' is empty once tidied; the file name is used"),
                      Text("tulis slug dengan huruf dan angka, misalnya panen-raya", "use letters and digits, "
                           "e.g. panen-raya"), "slug")
            return from_name
        if slug != meta.slug:
            self.warn(shown, Text(f"slug '{meta.slug}' dirapikan menjadi '{slug}'", f"slug '{meta.slug}' is tidied to "
                                  f"'{slug}'"), Text(f"tulis 'slug: {slug}'", f"write 'slug: {slug}'"), "slug")
        return slug

    def category(self, shown: str, meta: PostSchema) -> tuple[Category, list[str]]:
        """The category written (by slug or name); else the regency's default, the word kept as a tag."""
        categories, wanted = self.spec.categories, meta.category
        category = find_category(wanted, categories) if wanted else None
        if category is not None:
            return category, list(meta.tags)
        default = self.spec.default_category
        names = ", ".join(c.slug for c in categories)
        if wanted:
            message = Text(f"kategori '{wanted}' tidak dikenal; terbit di '{default.slug}', '{wanted}' jadi tag",
                           f"unknown category '{wanted}'; published in '{default.slug}', '{wanted}' kept as a tag")
        else:
            message = Text(f"kategori tidak ditulis; terbit di '{default.slug}'",
                           f"no category written; published in '{default.slug}'")
        self.warn(shown, message, Text(f"pilih salah satu: {names}", f"choose one of: {names}"), "category",
                  self.index.line_of(("category",)) if wanted else 1)
        return default, list(meta.tags) + ([wanted] if wanted and wanted not in meta.tags else [])

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
        finally:
            result.problems.extend(reader.warnings)
        if post == "draft":
            drafts += 1
        elif isinstance(post, Post) and post.date > spec.build_time and not spec.drafts:
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
