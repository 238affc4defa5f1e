"""Render the hub's pages, feeds and data files from the aggregated models."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from kimsite import cachefile
from kimsite.errors import BuildError, template_problem
from kimsite.hub.activity import KimActivity, activity_rows, last_months
from kimsite.hub.data import District, HubPost, capped_pages, memo_key, stable_pages
from kimsite.models import CMS_BUNDLE_DIR, VERDICT_CLASSES, SiteConfig, Variant
from kimsite.output.files import GuardedWriter, theme_css
from kimsite.site import feeds, i18n, redirects
from kimsite.site.context import verdict_summary
from kimsite.site.picture import share_path, thumb_html, thumb_path


@dataclass
class HubWriter:
    """Renders templates into the hub's output with a shared base context."""

    config: SiteConfig
    writer: GuardedWriter
    env: jinja2.Environment
    ui: dict[str, str]
    downloads: bool = True  # a regency hub has unduh/ (hub.unduh); the province hub has none
    card: Variant | None = None  # the share card (site.cards, made by the build): every page's og:image

    @property
    def url(self) -> str:
        return self.config.regency.base_url

    @functools.cached_property
    def base(self) -> dict[str, Any]:
        """What every page shows of the hub (the same for all: part of the memo's generation)."""
        regency = self.config.regency
        hub = {"name": regency.name, "url": self.url, "language": regency.language,
               "district_title": regency.district_title, "css": theme_css(self.config.theme_dir)[0],
               "downloads": self.downloads, "card": None if self.card is None else
               {"url": self.url + self.card.path, "width": self.card.width, "height": self.card.height}}
        return {"hub": hub, "UI": self.ui, "feeds": {"base": self.url, "title": f"{self.ui['hub']} {regency.name}"}}

    def page(self, path: str, template: str, key: str | None = None, **context: Any) -> None:
        """Write `<path>index.html` (path '' is the hub's home)."""
        self.render(path + "index.html", template, key=key, path=path, **context)

    def render(self, rel: str, template: str, key: str | None = None, **context: Any) -> None:
        """Render `template` into `rel`, unless the page published last time came from the same
        template and context (the base context is part of the memo's generation). `key`: what
        the context is made of, when the caller knows it (else a digest of the pickled context)."""
        if key is None:
            key = render_key(template, context)
        else:
            key = hashlib.sha256(f"{template}\0{key}".encode()).hexdigest()
        if self.writer.reuse(rel, key):
            return
        try:
            html = self.env.get_template(template).render(**{**self.base, **context})
        except jinja2.TemplateError as err:  # a broken theme override: its file and line, no traceback
            raise BuildError([template_problem(err, "hub", template)]) from None
        self.writer.write(rel, html.encode(), key=key)



class _KeyPickler(pickle.Pickler):
    """Pickles a page's context with each post that has a token pickled as its token."""

    def persistent_id(self, obj: Any) -> str | None:  # noqa: ANN401 - any object
        return obj.token if type(obj) is HubPost and obj.token else None


def render_key(template: str, context: dict[str, Any]) -> str:
    """A digest of what a page is rendered from; "" when the context cannot be pickled."""
    try:
        return cachefile.digest((template, context), _KeyPickler)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError, ValueError):
        return ""


Templates = jinja2.Environment  # the hub's templates, for the modules that do not import jinja2


def environment(theme_dir: Path, language: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(theme_dir / "hub"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                             auto_reload=False)  # a build never edits its templates: no stat per page
    env.filters["tanggal"] = lambda value: i18n.long_date(value, language)
    env.filters["tanggal_pendek"] = lambda value: i18n.short_date(value, language)
    env.filters["angka"] = lambda value: i18n.number(value, language)
    env.filters["persen"] = lambda value: i18n.percent(value, language)
    env.filters["verdict_class"] = VERDICT_CLASSES.get
    env.filters["thumb_of"] = thumb_path  # a lead photo's URL → its thumbnail's
    env.filters["thumb"] = thumb_html
    env.filters["share_of"] = share_path  # a lead photo's URL → its share image's (a short link's preview)
    return env


def compiled(theme_dir: Path, language: str) -> jinja2.Environment:
    """The environment with every hub template compiled (a build does it while the sites build)."""
    env = environment(theme_dir, language)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    return env


def feed_entry(post: HubPost, feed_url: str) -> feeds.FeedEntry:
    """An entry of the combined feed at `feed_url` (its folder): its author names the writer, the
    KIM and the village (what readers show), and its source is the KIM's own feed. Its id is the
    combined feed's own (the feed's path, then the KIM and the post's path), not the KIM's entry
    id: a reader that keys items by id across its feeds (newsboat does) would otherwise file the
    post under whichever feed came first and show the regency's and districts' feeds empty."""
    kim = post.kim
    origin = f"{kim.name}, {kim.village_title} {kim.village}"
    author = origin if post.author in ("", kim.name) else f"{post.author} ({origin})"
    source = feeds.FeedSource(origin, kim.feed or kim.url + "rss.xml", kim.url)
    return feeds.FeedEntry(
        id=feeds.tag_uri(feed_url, post.date, f":{kim.slug}/{post.path}"), title=post.title, url=post.url,
        date=post.date, author=author, category=post.category, content_html="",
        summary=post.summary if post.fact_check is None else verdict_summary(post.fact_check, post.summary),
        image_url=post.image_url, image_length=post.image_size, source=source)


def write_feeds(out: HubWriter, folder: str, title: str, posts: Sequence[HubPost]) -> None:
    """Combined feeds: newest entries, each KIM capped like on the home page."""
    regency, options = out.config.regency, out.config.hub
    chosen = capped_pages(posts, options.feed_items, options.per_kim_cap, limit=1)
    spec = feeds.FeedSpec(title, f"{title}: {out.ui['newest']}", out.url + folder, out.url + folder,
                          regency.language, f"{out.ui['hub']} {regency.name}", limit=options.feed_items,
                          full_content=False)
    entries = [feed_entry(p, spec.base_url) for p in (chosen[0] if chosen else [])]
    for name, data in feeds.render_feeds(spec, entries).items():
        out.writer.write(folder + name, data)


def write_list(out: HubWriter, folder: str, title: str, posts: Sequence[HubPost], intro: str = "",
               feeds_base: str | None = None, capped: bool = True) -> None:
    """A news list at `folder`: the newest posts, then every post on pages numbered from the
    oldest (folder/halaman/1/ holds the oldest), so a new post rewrites the front and the newest
    page or two, never every page. `capped`: at most hub.per_kim_cap posts of one KIM per
    page, else plain date order (archives). The list is one memo group: kept whole when its
    posts are the same."""
    with out.writer.group(f"list:{folder}", memo_key((folder, title, intro, feeds_base, capped), posts)) as kept:
        if not kept:
            _write_list(out, folder, title, posts, intro, feeds_base, capped)


def _write_list(out: HubWriter, folder: str, title: str, posts: Sequence[HubPost], intro: str,
                feeds_base: str | None, capped: bool) -> None:
    options = out.config.hub
    cap = options.per_kim_cap if capped else options.posts_per_page
    front = next(iter(capped_pages(posts, options.posts_per_page, cap, limit=1)), [])
    older = stable_pages(posts, options.posts_per_page, cap) if len(posts) > len(front) else []
    on_front = {post.url for post in front}
    first_link = next((n for n in range(len(older), 0, -1) if any(p.url not in on_front for p in older[n - 1])), 0)
    feed = {"base": out.url + (feeds_base if feeds_base is not None else ""), "title": title}
    pager: dict[str, Any] = {"number": None, "previous": None, "next": _page_url(out, folder, first_link)}
    out.page(folder, "list.html", key=memo_key((title, intro, pager, feed), front), title=title,
             description=intro or title, intro=intro, posts=front, pager=pager, feeds=feed)
    for number, chunk in enumerate(older, start=1):
        # the newest page links the next number too: until that page is written its address
        # redirects to the front (below), so a page that fills rewrites itself only, not the one before
        pager = {"number": number, "previous": _page_url(out, folder, number + 1),
                 "next": _page_url(out, folder, number - 1)}
        numbered = f"{title} · {out.ui['page']} {number}"
        out.page(f"{folder}halaman/{number}/", "list.html", key=memo_key((numbered, intro, pager, feed), chunk),
                 title=numbered, description=intro or title, intro=intro, posts=chunk, pager=pager, feeds=feed)
    if older:
        out.writer.write(f"{folder}halaman/{len(older) + 1}/index.html",
                         redirects.render_page(out.url + folder, title, out.config.regency.language))


def _page_url(out: HubWriter, folder: str, number: int) -> str | None:
    return out.url + f"{folder}halaman/{number}/" if number > 0 else None


def write_archive(out: HubWriter, months: dict[tuple[int, int], list[HubPost]]) -> None:
    language = out.config.regency.language
    listing = []
    for (year, month), posts in months.items():
        label = i18n.month_year(date(year, month, 1), language)
        path = f"arsip/{year:04d}/{month:02d}/"
        listing.append({"path": path, "label": label})  # no count: the page changes once a month, not per post
        write_list(out, path, f"{out.ui['month_archive']} {label}", posts, capped=False)
    out.page("arsip/", "archive.html", title=out.ui["archives"], description=out.ui["archives"], months=listing)


def write_district(out: HubWriter, district: District, posts: Sequence[HubPost]) -> None:
    folder = f"wilayah/{district.slug}/"
    title = f"{out.config.regency.district_title} {district.name}"
    with out.writer.group(f"district:{folder}", memo_key((folder, title, district), posts)) as kept:
        if not kept:
            write_list(out, folder, title, posts, intro=f"{out.ui['news_from']} {len(district.kims)} KIM.",
                       feeds_base=folder)
            write_feeds(out, folder, f"{title} · {out.config.regency.name}", posts)


def write_data_files(out: HubWriter, items: Sequence[KimActivity], today: date, as_of: date) -> None:
    """The dashboard's rows for spreadsheets: figures through `as_of` (yesterday), so the files
    change once a day; `build_date` is the day they were made."""
    rows = activity_rows(items, last_months(as_of))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["slug"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.writer.write("dasbor/aktivitas.csv", buffer.getvalue().encode())
    payload = {"build_date": today.isoformat(), "data_through": as_of.isoformat(), "regency": out.config.regency.code,
               "kims": rows}
    out.writer.write("dasbor/aktivitas.json", (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode())


def write_theme_css(out: HubWriter) -> None:
    out.writer.write(*theme_css(out.config.theme_dir))


def write_cms_script(out: HubWriter) -> None:
    """The pinned Decap CMS, served from the regency's own host for every KIM's `admin/` page
    (once, not per KIM): the script, its lazily loaded chunks, its WebAssembly and licence."""
    cms = out.config.cms
    if cms is None or cms.bundle is None:
        return
    for path in sorted(cms.bundle.iterdir()):
        if path.name.endswith("decap-cms.js") or path.suffix == ".wasm" or path.name == "decap-cms.js.LICENSE.txt":
            out.writer.write(f"{CMS_BUNDLE_DIR}/{path.name}", path.read_bytes())


def write_not_found(out: HubWriter, province: bool = False) -> None:
    """`404.html`: the page the host shows for a dead link (noindex, in no sitemap or feed)."""
    out.render("404.html", "404.html", path="404.html", title=out.ui["not_found_title"], province=province,
               description=f"{out.ui['not_found_title']}: {out.ui['hub']} {out.config.regency.name}")
