"""Build one KIM site, start to finish, inside a worker process.

The order: read posts → photos → Pelican pages → feeds → sitemap → swap the new
folder in. The site's previous output stays live until the new one is complete.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from slugify import slugify

from kimsite import cachefile
from kimsite.errors import Problem, Severity, Text, display_path, template_problem
from kimsite.models import Extras, ImageRef, PhotoSet, Post, PostSkips, Product, SiteJob, Variant
from kimsite.output import budgets, compress, manifest, state
from kimsite.output.files import GuardedWriter, count_files, fresh_dir, swap_in, theme_css
from kimsite.read import content, extras, inputs
from kimsite.read.markup import MarkupRenderer, RenderCache
from kimsite.site import admin, cards, feeds, i18n, images, lastgood, links, redirects, search, sitemaps, unduh
from kimsite.site.context import drops_off, upcoming, verdict_html, verdict_summary
from kimsite.site.pelican_settings import LOGO_FILE, initials

_RENDERER: MarkupRenderer | None = None
POLICY = images.ImagePolicy()
Photos = dict[str, PhotoSet]


@dataclass(frozen=True)
class SiteResult:
    kim: str
    ok: bool
    posts: tuple[Post, ...] = ()  # without their HTML: what the hub and reports need
    problems: tuple[Problem, ...] = ()
    skips: PostSkips = PostSkips()
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = field(default=())
    weights: tuple[budgets.PageWeight, ...] = ()
    unchanged: bool = False  # inputs as at the last build: the output was kept
    extras: Extras = Extras()  # products and events without their HTML, for the hub
    inputs: str = ""  # hash of the inputs this result was built from (what the hub's freshness rests on)
    post_count: int = 0  # len(posts), also in a summary
    summary: bool = False  # posts, weights and extras left out (the whole result is in the shard folder)

    def summarised(self) -> SiteResult:
        """What the build state keeps: enough to report and to decide, not what the hub needs."""
        return dataclasses.replace(self, posts=(), weights=(), extras=Extras(), summary=True)


def preload() -> None:
    """Import Pelican and icalendar (and find Pagefind) in the parent when sites are to be
    built, so every forked worker starts with them; a build where nothing changed never pays.
    Not bs4 (about 10 MB in every process): only a post with photos in its text needs it."""
    _sitebuild()
    _ics()
    _downloads()  # fpdf2: a quarter of a second to import
    search.executable()


def warm_up() -> None:
    """A spare worker's start (build.spare): the imports of `preload`; a failure
    here is left for the build to report."""
    with contextlib.suppress(Exception):  # reported by the build that needs it
        preload()


def _sitebuild():  # noqa: ANN202 - the module
    from kimsite.site import layout

    return layout


def _downloads():  # noqa: ANN202 - the module
    from kimsite.site import bulletin_pdf, downloads  # noqa: F401 - bulletin_pdf: fpdf2, for every forked worker

    return downloads


def _postprocess():  # noqa: ANN202 - the module
    from kimsite.site import postprocess

    return postprocess


def _ics():  # noqa: ANN202 - the module
    from kimsite.site import ics

    return ics


def renderer() -> MarkupRenderer:
    """One Markdown converter per worker process."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = MarkupRenderer()
    return _RENDERER


def render_cache(job: SiteJob) -> RenderCache:
    """The worker's converter, with the site's Markdown as rendered at its last build."""
    return RenderCache(renderer(), job.cache_dir / "markup" / f"{job.kim.slug}.pickle", inputs.code_version())


def post_spec(job: SiteJob) -> content.PostSpec:
    return content.PostSpec(
        kim=job.kim.slug, site_url=job.kim.url, timezone=job.regency.tz_name,
        build_time=job.build_time, categories=job.categories, default_category=job.default_category,
        drafts=job.drafts, spam=job.spam,
        default_author=job.profile.name or job.kim.name, root=job.root,
    )


def extras_spec(job: SiteJob) -> extras.ExtrasSpec:
    return extras.ExtrasSpec(kim=job.kim.slug, timezone=job.regency.tz_name,
                             product_categories=job.product_categories,
                             default_organiser=job.profile.name or job.kim.name, root=job.root, spam=job.spam)


def _write_photos(refs: tuple[ImageRef, ...], lead: ImageRef | None, writer: GuardedWriter, job: SiteJob,
                  photos: Photos) -> None:
    """Each photo not encoded yet in this build; the lead one also gets the share image."""
    for ref in refs:
        if ref.output_path not in photos:
            photos[ref.output_path] = images.write_photo_set(
                ref.source, display_path(ref.source, job.root), ref.output_path, writer.target,
                job.cache_dir, POLICY, share=ref is lead)


def write_product_photos(products: tuple[Product, ...], writer: GuardedWriter, job: SiteJob,
                         photos: Photos) -> tuple[list[Product], list[Problem]]:
    """Through the same photo pipeline as posts; a product whose photo cannot be read is skipped."""
    kept, problems = [], []
    for product in products:
        try:
            _write_photos(product.photos, product.photos[0] if product.photos else None, writer, job, photos)
        except images.ImageProblem as err:
            problems.append(dataclasses.replace(err.problem, site=job.kim.slug, key="photos"))
            continue
        kept.append(product)
    return kept, problems


def write_images(posts: list[Post], writer: GuardedWriter, job: SiteJob) -> tuple[list[Post], list[Problem], Photos]:
    """Encode every photo once; a post whose photo cannot be read is skipped.

    Inline photos in a post's HTML become <picture> elements with WebP and JPEG srcsets.
    """
    kept, problems, photos = [], [], {}
    for post in posts:
        try:
            _write_photos(post.images, post.image, writer, job, photos)
        except images.ImageProblem as err:
            problems.append(dataclasses.replace(err.problem, site=job.kim.slug, key="image"))
            continue
        if len(post.images) > (post.image is not None):
            post = dataclasses.replace(post, html=_postprocess().responsive_images(post.html, photos, job.kim.url))
        if post.image is not None:  # the size of its web JPEG, for the feeds' enclosures (the hub's too)
            size = (writer.root / post.image.output_path).stat().st_size
            post = dataclasses.replace(post, image=dataclasses.replace(post.image, size=size))
        kept.append(post)
    return kept, problems, photos


def write_logo(job: SiteJob, writer: GuardedWriter) -> tuple[SiteJob, list[Problem]]:
    """The KIM's logo; one that cannot be used is left out with a warning (the site shows its
    name alone) and never holds the site back."""
    if job.profile.logo is None:
        return job, []
    try:
        images.write_logo(job.profile.logo, display_path(job.profile.logo, job.root),
                          writer.target(LOGO_FILE), job.cache_dir, POLICY)
    except images.ImageProblem as err:
        warning = dataclasses.replace(err.problem, site=job.kim.slug, key="logo", severity=Severity.WARNING)
        return dataclasses.replace(job, profile=dataclasses.replace(job.profile, logo=None)), [warning]
    return job, []


def kim_card(job: SiteJob) -> cards.CardSpec:
    """What the KIM's share card shows: its name, village, colour and logo (or initials badge)."""
    kim, name = job.kim, job.profile.name or job.kim.name
    place = f"{kim.village_title} {kim.village}, {job.regency.district_title} {kim.district}".strip(" ,")
    return cards.CardSpec(name, place, job.regency.name, job.profile.color or cards.DEFAULT_COLOUR,
                          initials(name), job.profile.logo)


def write_card(job: SiteJob, writer: GuardedWriter) -> tuple[Variant, list[Problem]]:
    card, problems = cards.write_card(kim_card(job), job.cache_dir, writer.write, display_path(job.kim_dir, job.root))
    return card, [dataclasses.replace(p, site=job.kim.slug) for p in problems]


def feed_entry(post: Post, site_url: str) -> feeds.FeedEntry:
    html = post.html if post.fact_check is None else verdict_html(post.fact_check) + post.html
    if post.correction:
        html = f"<p><strong>Ralat:</strong> {_attr(post.correction)}</p>\n{html}"
    image_url = site_url + post.image.output_path if post.image else None
    if post.image is not None:
        html = f'<p><img src="{image_url}" alt="{_attr(post.image.alt)}"></p>\n{html}'
    return feeds.FeedEntry(
        id=feeds.tag_uri(site_url, post.date, post.url_path), title=post.title,
        url=site_url + post.url_path, date=post.date, updated=post.updated, author=post.author,
        summary=post.summary if post.fact_check is None else verdict_summary(post.fact_check, post.summary),
        content_html=html, category=(post.category.slug, post.category.name), tags=post.tags,
        image_url=image_url, image_length=post.image.size if post.image else 0,
    )


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def write_feeds(posts: list[Post], writer: GuardedWriter, job: SiteJob) -> None:
    kim, name = job.kim, job.profile.name or job.kim.name
    entries = [feed_entry(p, kim.url) for p in posts]
    place = f"{kim.village_title} {kim.village}, {job.regency.name}".strip()
    site_spec = feeds.FeedSpec(name, f"Berita {name} dari {place}", kim.url, kim.url, kim.language, name,
                               full_content=job.feed_full_content)
    for file_name, data in feeds.render_feeds(site_spec, entries).items():
        writer.write(file_name, data)
    for category in sorted({p.category for p in posts}, key=lambda c: c.slug):
        folder = f"kategori/{category.slug}/"
        spec = dataclasses.replace(site_spec, title=f"{name}: {category.name}",
                                   home_url=kim.url + folder, base_url=kim.url + folder)
        chosen = [e for e, p in zip(entries, posts, strict=True) if p.category == category]
        for file_name, data in feeds.render_feeds(spec, chosen).items():
            writer.write(folder + file_name, data)


def write_sitemap(posts: list[Post], writer: GuardedWriter, job: SiteJob, more: Extras) -> None:
    url = job.kim.url
    newest = posts[0].date if posts else None
    pages = [(url + path, newest) for path in ("", "arsip/", "kategori/", "topik/", "profil/")]
    pages += [(url + path, None) for path in ("produk/", "agenda/", "aspirasi/")]
    pages += [(url + item.url_path, None) for item in (*more.products, *more.pages)]
    pages += [(f"{url}kategori/{p.category.slug}/", None) for p in posts]
    pages += [(f"{url}topik/{slugify(t) or 'topik'}/", None) for p in posts for t in p.tags]
    # sitemap.xml is an index: the site's pages, then the posts of each year (a new post
    # rewrites its year's sitemap, not one that lists every post)
    by_year: dict[int, list[tuple[str, datetime | None]]] = {}
    for p in posts:
        by_year.setdefault(p.date.year, []).append((url + p.url_path, p.date))
    names = ["sitemap-halaman.xml", *(f"sitemap-{year}.xml" for year in sorted(by_year, reverse=True))]
    writer.write(names[0], sitemaps.render_sitemap(pages))
    for year, listed in by_year.items():
        writer.write(f"sitemap-{year}.xml", sitemaps.render_sitemap(listed))
    writer.write("sitemap.xml", sitemaps.render_index(url + name for name in names))
    writer.write("robots.txt", sitemaps.render_robots(url + "sitemap.xml"))


def write_calendar(more: Extras, writer: GuardedWriter, job: SiteJob) -> None:
    """agenda.ics: the events not over at the build time, for phone calendars."""
    name, url = job.profile.name or job.kim.name, job.kim.url
    ics = _ics()
    spec = ics.CalendarSpec(f"Agenda {name}", f"Agenda {name}, {job.kim.village_title} {job.kim.village}",
                            url + "agenda/", job.regency.tz_name, calendar_stamp(job))
    organiser = i18n.ui_text(job.kim.language)["organiser"]
    events = [ics.CalendarEvent(ics.event_uid(url, e.slug), e.title, e.start, e.end, e.all_day, e.place,
                                f"{e.summary}\n\n{organiser}: {e.organiser}".strip(), f"{url}agenda/#{e.slug}")
              for e in upcoming(more.events, job.build_time.date())]
    writer.write("agenda.ics", ics.render_calendar(spec, events))


def calendar_stamp(job: SiteJob) -> datetime:
    """DTSTAMP: midnight UTC of the build date (never the wall clock)."""
    return datetime.combine(job.build_time.date(), datetime.min.time(), UTC)


Rendered = tuple[list[Post], Extras, list[Problem], list[str]]


def _render(job: SiteJob, staging: Path, loaded: content.PostsResult, more: Extras) -> Rendered:
    writer = GuardedWriter(staging)
    job, logo_problems = write_logo(job, writer)
    card, card_problems = write_card(job, writer)
    posts, problems, photos = write_images(loaded.posts, writer, job)
    products, photo_problems = write_product_photos(more.products, writer, job, photos)
    more = dataclasses.replace(more, products=tuple(products))
    published = {p.source.name for p in posts}
    skip = [p.name for p in (job.kim_dir / "posts").glob("*.md") if p.name not in published]
    made, download_problems = (_downloads().write_downloads(job, posts, more, photos, staging) if job.downloads
                               else ({}, []))
    warnings = _sitebuild().render_site(job, staging, posts, skip, photos, more, made, card)
    write_feeds(posts, writer, job)
    write_sitemap(posts, writer, job, more)
    write_calendar(more, writer, job)
    old = [(p.old_urls, job.kim.url + p.url_path, p.title) for p in (*posts, *more.pages) if p.old_urls]
    redirects.write_redirects(old, staging, writer, job.kim.language)
    css = theme_css(job.theme_dir)
    writer.write(*css)
    for name, data in admin.admin_files(job, css[0]).items():  # the writing page, when the regency has one
        writer.write(name, data)
    return posts, more, logo_problems + card_problems + problems + photo_problems + download_problems, warnings


def next_due(skips: PostSkips, more: Extras, now: datetime, posts: tuple[Post, ...] = ()) -> datetime | None:
    """When the site must be rebuilt even if nothing changed: a post comes due, an event ends or
    the week of a bulletin with this week's news turns."""
    times = [drops_off(e) for e in upcoming(more.events, now.date())]
    times += [due] if (due := unduh.week_due([p.date for p in posts], now)) else []
    times += [skips.next_scheduled] if skips.next_scheduled else []
    return min(times, default=None)


def post_stub(post: Post) -> Post:
    """The post without its HTML, with the digest of what is left: the hub's pages are made
    from this, so an unchanged digest means an unchanged post for them."""
    stub = dataclasses.replace(post, html="")
    return dataclasses.replace(stub, digest=cachefile.digest(stub))


def stubs(more: Extras) -> Extras:
    """Products and events without their HTML: what the hub needs."""
    return Extras(products=tuple(dataclasses.replace(p, html="") for p in more.products),
                  events=tuple(dataclasses.replace(e, html="") for e in more.events))


def build_site(job: SiteJob) -> SiteResult:
    """Build one site (the parent has found its inputs changed) and record its state."""
    started = time.perf_counter()
    hashed, stamp = inputs.input_hash(job), inputs.input_stamp(job)
    result = dataclasses.replace(_build_site(job, started), inputs=hashed)
    if result.ok:
        due = next_due(result.skips, result.extras, job.build_time, result.posts if job.downloads else ())
        state.save_state(job, state.SiteState(hashed, due, result.summarised(), stamp))
    return result


def _build_site(job: SiteJob, started: float) -> SiteResult:
    """Build one site; any failure is reported, never raised (other KIMs go on)."""
    staging = job.output_dir.parent / ".kimsite-tmp" / job.kim.slug
    try:
        cache = render_cache(job)
        loaded = content.load_posts(job.kim_dir, post_spec(job), cache)
        loaded.posts = lastgood.keep_posts(job, loaded)
        more = extras.load_extras(job.kim_dir, extras_spec(job), cache)
        published = lastgood.keep_extras(job, more)
        posts, built, image_problems, warnings = _render(job, fresh_dir(staging), loaded, published)
        image_problems += links.broken(posts, staging, job.kim.url, job.kim.slug, job.hub_url, job.output_dir.parent)
        compress.minify_tree(staging, keep=budgets.is_download)
        with search.own_index(staging, job.kim.own_domain):  # Pagefind runs while the pages get twins and weights
            compress.precompress_tree(staging, job.precompress, previous=job.output_dir, skip=search.BUNDLE)
            weights = (budgets.weigh(staging, staging.parent, {job.kim.url: staging})
                       + budgets.weigh_downloads(staging, staging.parent))
        if job.kim.own_domain:
            compress.precompress_tree(staging / search.BUNDLE, job.precompress, previous=job.output_dir / search.BUNDLE)
        pages, files = count_files(staging, ".html"), count_files(staging)
        manifest.write_part(staging, f"{job.kim.slug}/")
        swap_in(staging, job.output_dir)
        cache.save()
    except Exception as err:  # noqa: BLE001 - one site's crash must not stop the others
        shutil.rmtree(staging, ignore_errors=True)
        detail = "".join(traceback.format_exception_only(err)).strip()
        problem = template_problem(err, "templates", site=job.kim.slug) or Problem(
            display_path(job.kim_dir, job.root),
            Text(f"situs gagal dibangun: {detail}", f"site failed to build: {detail}"),
            Text("laporkan ke tim kimsite beserta pesan ini", "report this to the kimsite team with this message"),
            site=job.kim.slug)
        return SiteResult(job.kim.slug, ok=False, problems=(problem,), seconds=time.perf_counter() - started)
    posted = tuple(post_stub(p) for p in posts)
    return SiteResult(job.kim.slug, ok=True, posts=posted, post_count=len(posted),
                      problems=tuple(loaded.problems + more.problems + image_problems + budgets.check(weights)),
                      skips=loaded.skips, pages=pages, files=files, seconds=time.perf_counter() - started,
                      warnings=tuple(warnings), weights=tuple(weights), extras=stubs(built))


def check_site(job: SiteJob) -> SiteResult:
    """Validate one KIM's posts and other content without writing anything."""
    loaded = content.load_posts(job.kim_dir, post_spec(job), renderer())
    more = extras.load_extras(job.kim_dir, extras_spec(job), renderer())
    posted = tuple(dataclasses.replace(p, html="") for p in loaded.posts)
    return SiteResult(job.kim.slug, ok=True, posts=posted, post_count=len(posted),
                      problems=tuple(loaded.problems + more.problems),
                      skips=loaded.skips, extras=stubs(more.extras))
