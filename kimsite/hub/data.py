"""The hub's content, aggregated from the in-memory results of the KIM sites (pure).

Nothing here reads written HTML or fetches feeds: every number comes from the models.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from slugify import slugify

from kimsite import cachefile
from kimsite.models import Event, Extras, FactCheck, Kim, Post, Product, RegionTable, SiteConfig
from kimsite.read.external import ExternalEntry


class HubPost(NamedTuple):  # a tuple: 15,000 of them are made for each hub build
    kim: Kim
    title: str
    url: str
    date: datetime
    author: str
    summary: str
    category: tuple[str, str]  # (slug, name)
    image_url: str | None
    path: str  # the post's path inside its site, for stable ids
    fact_check: FactCheck | None = None
    token: str = ""  # stands for the post in memo keys: its digest ("": unknown; the config, which
    # also shapes a HubPost, is in the hub's generation)
    updated: datetime | None = None
    correction: str | None = None  # a `ralat:` note
    image_size: int = 0  # bytes of the JPEG at image_url


@dataclass(frozen=True)
class District:
    code: str
    name: str
    slug: str
    kims: tuple[Kim, ...]


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    villages: int  # in the region table
    covered: tuple[str, ...]  # village names with a KIM
    uncovered: tuple[str, ...]  # village names without one

    @property
    def ratio(self) -> float:
        return len(self.covered) / self.villages if self.villages else 0.0


def hub_posts(config: SiteConfig, posts_by_kim: dict[str, Sequence[Post]],
              prepared: dict[str, list[HubPost]] | None = None) -> list[HubPost]:
    """Every published post of every KIM, newest first (ties broken by URL). `prepared`: the
    `kim_hub_posts` of some KIMs, made already."""
    found = []
    for kim in config.kims:
        known = (prepared or {}).get(kim.slug)
        found += known if known is not None else kim_hub_posts(kim, posts_by_kim.get(kim.slug, ()))
    return sorted(found, key=lambda p: (p.date, p.url), reverse=True)


def kim_hub_posts(kim: Kim, posts: Sequence[Post]) -> list[HubPost]:
    """One KIM's posts as the hub shows them."""
    return [HubPost(kim=kim, title=post.title, url=kim.url + post.url_path, date=post.date, author=post.author,
                    summary=post.summary, category=(post.category.slug, post.category.name),
                    image_url=kim.url + post.image.output_path if post.image else None, path=post.url_path,
                    fact_check=post.fact_check, token=post.digest, updated=post.updated, correction=post.correction,
                    image_size=post.image.size if post.image else 0)
            for post in posts]


def external_hub_posts(kim: Kim, entries: Sequence[ExternalEntry]) -> list[HubPost]:
    """An external KIM's feed entries as the hub shows them: linked to its own site, without
    photos (the hub does not load another site's images)."""
    return [HubPost(kim=kim, title=e.title, url=e.url, date=e.date, author=e.author, summary=e.summary,
                    category=(e.category.slug, e.category.name), image_url=None, path=e.url,
                    token=cachefile.digest(e))
            for e in entries]


def memo_key(parts: Sequence[object], posts: Iterable[HubPost]) -> str | None:
    """A key for what is made from `parts` (plain values) and `posts`, from the posts' tokens;
    None when a post has none."""
    digest = hashlib.sha256(repr(parts).encode())
    for post in posts:
        if not post.token:
            return None
        digest.update(post.token.encode() + b"\0")
    return digest.hexdigest()


def capped_pages(posts: Sequence[HubPost], per_page: int, cap: int, limit: int | None = None) -> list[list[HubPost]]:
    """Split posts (in the order given) into pages holding at most `cap` posts of one KIM each
    (the first `limit` pages only, if given).

    A post that would exceed its KIM's cap waits for the next page, so nothing is dropped
    and one prolific KIM cannot fill a page on its own. Each page takes the earliest posts
    still waiting, so it runs in O(n log k) with one queue per KIM and a heap of their heads.
    """
    if limit == 1:  # the front page alone: the earliest posts, at most `cap` of one KIM
        return [page] if (page := _first_page(posts, per_page, cap)) else []
    queues: dict[str, deque[tuple[int, HubPost]]] = defaultdict(deque)
    for index, post in enumerate(posts):
        queues[post.kim.slug].append((index, post))
    heads = [(queue[0][0], slug) for slug, queue in queues.items()]
    heapq.heapify(heads)
    pages: list[list[HubPost]] = []
    while heads and (limit is None or len(pages) < limit):
        page: list[HubPost] = []
        taken: Counter[str] = Counter()
        paused = []  # KIMs at their cap wait for the next page
        while heads and len(page) < per_page:
            _index, slug = heapq.heappop(heads)
            queue = queues[slug]
            page.append(queue.popleft()[1])
            taken[slug] += 1
            if queue:
                head = (queue[0][0], slug)
                if taken[slug] < cap:
                    heapq.heappush(heads, head)
                else:
                    paused.append(head)
        for head in paused:
            heapq.heappush(heads, head)
        pages.append(page)
    return pages


def _first_page(posts: Sequence[HubPost], per_page: int, cap: int) -> list[HubPost]:
    page: list[HubPost] = []
    taken: Counter[str] = Counter()
    for post in posts:
        if taken[post.kim.slug] < cap:
            page.append(post)
            taken[post.kim.slug] += 1
            if len(page) == per_page:
                break
    return page


def stable_pages(posts: Sequence[HubPost], per_page: int, cap: int) -> list[list[HubPost]]:
    """Newest-first posts as pages numbered from the oldest (page 1 holds the oldest posts),
    each page newest first. Filled from the oldest, so a new post changes only the newest
    page or two: the other pages, and their addresses, stay as they were."""
    return [page[::-1] for page in capped_pages(posts[::-1], per_page, cap)]


def by_month(posts: Iterable[HubPost]) -> dict[tuple[int, int], list[HubPost]]:
    months: dict[tuple[int, int], list[HubPost]] = defaultdict(list)
    for post in posts:
        months[(post.date.year, post.date.month)].append(post)
    return dict(sorted(months.items(), reverse=True))


def districts(config: SiteConfig) -> list[District]:
    """The districts that have at least one KIM, in code order."""
    grouped: dict[str, list[Kim]] = defaultdict(list)
    for kim in config.kims:
        grouped[kim.district_code].append(kim)
    found, taken = [], set()
    for code, kims in sorted(grouped.items()):
        slug = slugify(kims[0].district or code) or code.replace(".", "-")
        if slug in taken:  # two districts of one name: the later one (by code) is told apart by its code
            slug = f"{slug}-{code.rsplit('.', 1)[-1]}"
        taken.add(slug)
        members = tuple(sorted(kims, key=lambda k: (k.village, k.slug)))
        found.append(District(code, kims[0].district or code, slug, members))
    return found


def coverage(config: SiteConfig, table: RegionTable) -> tuple[Coverage, list[Coverage]]:
    """(regency total, one per district of the regency), from the official region table."""
    with_kim = {k.village_code for k in config.kims}
    per_district = []
    for district in table.districts_of(config.regency.code):
        villages = table.villages_of(district.code)
        per_district.append(Coverage(
            district.code, district.name, len(villages),
            tuple(v.name for v in villages if v.code in with_kim),
            tuple(v.name for v in villages if v.code not in with_kim),
        ))
    total = Coverage(
        config.regency.code, config.regency.name, sum(d.villages for d in per_district),
        tuple(n for d in per_district for n in d.covered), tuple(n for d in per_district for n in d.uncovered),
    )
    return total, per_district


@dataclass(frozen=True)
class HubItem:
    """A product or an event of one KIM, as the hub lists it."""

    kim: Kim
    item: Product | Event


def hub_products(config: SiteConfig, extras_by_kim: dict[str, Extras]) -> dict[str, list[HubItem]]:
    """Every product of the regency by product category (in the config's order), then by name."""
    grouped: dict[str, list[HubItem]] = {c.slug: [] for c in config.product_categories}
    for kim in config.kims:
        for product in extras_by_kim.get(kim.slug, Extras()).products:
            grouped.setdefault(product.category.slug, []).append(HubItem(kim, product))
    return {slug: sorted(items, key=lambda i: (i.item.name.casefold(), i.kim.slug))
            for slug, items in grouped.items() if items}


def hub_events(config: SiteConfig, extras_by_kim: dict[str, Extras]) -> list[HubItem]:
    """Every event of every KIM, soonest first."""
    found = [HubItem(kim, event) for kim in config.kims for event in extras_by_kim.get(kim.slug, Extras()).events]
    return sorted(found, key=lambda i: (i.item.start, i.kim.slug, i.item.slug))
