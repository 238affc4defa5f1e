"""The regency's one search: a Pagefind index over every KIM's posts, own-domain and external
KIMs included with their real addresses, made by the hub (kimsite.site.search runs Pagefind).

Two bundles, so that a same-day post does not rewrite the big one: `pagefind/` holds the posts
dated before the build date (it changes at most once a day, like the dashboard's "data
through yesterday", or when an older post is edited), `pagefind-baru/` the posts of the build
date; the search pages merge them in the browser. Each is a group of the publish record made
from its records: an unchanged bundle is kept as published, Pagefind does not run for it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from datetime import date

from kimsite.hub import data
from kimsite.hub.pages import HubWriter
from kimsite.site import search

BASE, TODAY = search.REGENCY_BUNDLES


def records(posts: Sequence[data.HubPost]) -> list[search.Record]:
    """What the index holds of each post: its title and lead (no byline, no body)."""
    return sorted(search.Record(p.url, p.title, p.summary, p.kim.slug, p.kim.name, p.kim.village) for p in posts)


def split(posts: Sequence[data.HubPost], today: date) -> dict[str, list[search.Record]]:
    """The bundles and their records: posts before `today`, and those of `today`."""
    return {BASE: records([p for p in posts if p.date.date() < today]),
            TODAY: records([p for p in posts if p.date.date() >= today])}


@contextlib.contextmanager
def indexing(out: HubWriter, posts: Sequence[data.HubPost], today: date) -> Iterator[None]:
    """Pagefind indexes the bundles that changed while the body writes the rest of the hub;
    then every bundle is published (or kept as it was)."""
    bundles = split(posts, today)
    keys = {folder: "search " + search.records_key(recs) for folder, recs in bundles.items()}
    with contextlib.ExitStack() as stack:
        made = {folder: stack.enter_context(search.bundling(recs, out.config.regency.language, folder == BASE))
                for folder, recs in bundles.items() if not out.writer.stands(folder, keys[folder])}
        yield
    for folder, key in keys.items():
        with out.writer.group(folder, key) as kept:
            if not kept:
                files = made.get(folder) or _bundle(bundles[folder], folder, out)
                out.writer.write_all({folder + rel: content for rel, content in files.items()})


def _bundle(recs: list[search.Record], folder: str, out: HubWriter) -> dict[str, bytes]:
    """A bundle found standing when the build began and gone since (deleted by hand)."""
    with search.bundling(recs, out.config.regency.language, folder == BASE) as files:
        pass
    return files


def write_search(out: HubWriter) -> None:
    """`cari/`: the whole regency's search (both bundles merged in the browser)."""
    out.page("cari/", "search.html", title=out.ui["search_title"],
             description=f"{out.ui['search_title']} KIM {out.config.regency.name}",
             search=search.page_context(out.url, language=out.config.regency.language))
