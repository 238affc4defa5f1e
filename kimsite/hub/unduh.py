"""The hub's downloads: an offline pack for the regency and one per district (newest posts
across KIMs, at most `hub.per_kim_cap` of one KIM), a weekly bulletin per district, and the
hub's `unduh/` page listing them with their sizes.

The photos come from each KIM's hidden `.kimsite-unduh/` folder (the copies its site build
made), so the hub decodes none. Each scope's files are one memo group, kept without being
made again while its posts, events and week are unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from kimsite.hub.data import District, HubItem, HubPost, capped_pages, hub_events, memo_key
from kimsite.hub.pages import HubWriter
from kimsite.models import Event, Extras
from kimsite.output import compress
from kimsite.site import bulletin, i18n, offline, unduh
from kimsite.site.context import event_context, upcoming

REGENCY = "kabupaten"  # the regency's files: unduh/kabar-kabupaten.html (as kabar-pekan-ini/kabupaten.txt)


@dataclass(frozen=True)
class Scope:
    slug: str  # 'kabupaten' or a district's slug
    title: str  # 'Kabupaten Kulon Progo', 'Kapanewon Temon'
    url: str  # the hub page the scope's files link to
    posts: tuple[HubPost, ...]
    events: tuple[HubItem, ...]
    bulletin: bool  # districts get a bulletin; the regency has one pack


@dataclass(frozen=True)
class Files:
    """One scope's downloads as the Unduh page and the digest show them."""

    slug: str
    title: str
    pack: dict[str, str]  # url, name, size ('312 KB')
    bulletin: dict[str, str] | None


class Photos:
    """The pack and print copies the KIM sites left in their hidden folders, read once."""

    def __init__(self, root: Path):
        self.root, self.index = root, {}

    def _of(self, kim: str) -> dict[str, list[int]]:
        if kim not in self.index:
            try:
                self.index[kim] = json.loads((self.root / kim / unduh.HIDDEN / unduh.PHOTO_INDEX).read_text("utf-8"))
            except (OSError, ValueError):
                self.index[kim] = {}
        return self.index[kim]

    def pack(self, post: HubPost) -> offline.PackPhoto | None:
        stem = unduh.photo_stem(post.image_url or "")
        size = self._of(post.kim.slug).get(stem) if post.image_url else None
        path = self.root / post.kim.slug / unduh.HIDDEN / f"{stem}.webp"
        if not size or not path.is_file():
            return None
        return offline.PackPhoto(path.read_bytes(), size[0], size[1], post.title)

    def print_copy(self, post: HubPost) -> Path | None:
        path = self.root / post.kim.slug / unduh.HIDDEN / f"{unduh.photo_stem(post.image_url or '')}.jpg"
        return path if post.image_url and path.is_file() else None


def scopes(out: HubWriter, posts: Sequence[HubPost], districts: Sequence[District],
           extras_by_kim: dict[str, Extras], today: date) -> list[Scope]:
    config = out.config
    events = [i for i in hub_events(config, extras_by_kim) if upcoming([i.item], today)]  # type: ignore[list-item]
    found = [Scope(REGENCY, config.regency.name, out.url, tuple(posts), tuple(events), False)]
    for district in districts:
        codes = {k.slug for k in district.kims}
        found.append(Scope(district.slug, f"{config.regency.district_title} {district.name}",
                           f"{out.url}wilayah/{district.slug}/", tuple(p for p in posts if p.kim.slug in codes),
                           tuple(i for i in events if i.kim.slug in codes), True))
    return found


def _meta(post: HubPost, language: str) -> str:
    return f"{post.kim.name} · {i18n.day_month_year(post.date, language)}"


def _event(item: HubItem, language: str) -> offline.PackEvent:
    event: Event = item.item  # type: ignore[assignment] - hub_events holds events
    return offline.PackEvent(event.title, str(event_context(event, language)["when"]), event.place, item.kim.name)


def pack_spec(out: HubWriter, scope: Scope, chosen: Sequence[HubPost], photos: Photos) -> offline.PackSpec:
    language, labels = out.config.regency.language, unduh.PACK_LABELS[out.config.regency.language]
    items = tuple(offline.PackPost(p.title, _meta(p, language), p.summary, p.url, "", photos.pack(p),
                                   p.fact_check.verdict if p.fact_check else None) for p in chosen)
    kims = sorted({p.kim for p in scope.posts} | {i.kim for i in scope.events}, key=lambda k: k.name)
    return offline.PackSpec(
        f"{'Kabar KIM' if language == 'id' else 'KIM news,'} {scope.title}", out.config.regency.name,
        unduh.stamp([p.date for p in chosen], language), scope.url, f"{labels['open']} {out.ui['hub']}",
        unduh.DEFAULT_COLOUR, language, {**labels, "contacts": out.ui["sites"]}, items,
        tuple(_event(i, language) for i in scope.events),
        contacts=tuple(offline.PackLink(k.name, k.url, k.url) for k in kims),
        canonical=out.url + unduh.pack_path(scope.slug))


def bulletin_spec(out: HubWriter, scope: Scope, today: date, photos: Photos) -> bulletin.BulletinSpec:
    language, cap = out.config.regency.language, out.config.hub.per_kim_cap
    week = [scope.posts[i] for i in unduh.in_week([p.date for p in scope.posts], today)]
    pool = week or list(scope.posts[:unduh.FALLBACK_POSTS])
    chosen = (capped_pages(pool, unduh.BULLETIN_POSTS, cap, limit=1) or [[]])[0]
    items = tuple(bulletin.BulletinItem(p.title, _meta(p, language), p.summary, p.url, photos.print_copy(p),
                                        p.fact_check.verdict if p.fact_check else None) for p in chosen)
    fact = next((p for p in chosen if p.fact_check), None)
    box = bulletin.FactBox(fact.fact_check.verdict, fact.fact_check.claim, fact.title, fact.url) \
        if fact and fact.fact_check else None
    events = tuple(bulletin.BulletinEvent(e.title, e.when, f"{e.place} ({e.who})" if e.place else e.who)
                   for e in (_event(i, language) for i in scope.events))
    tz = ZoneInfo(out.config.regency.tz_name)
    return bulletin.BulletinSpec(
        f"{'Buletin KIM' if language == 'id' else 'KIM bulletin,'} {scope.title}", out.config.regency.name,
        unduh.week_label(today, language) if week else "", unduh.stamp([p.date for p in chosen], language), scope.url,
        unduh.DEFAULT_COLOUR, language, unduh.made_at([p.date for p in chosen], today, tz, bool(week)), items, events,
        box, bool(week))


def _size(out: HubWriter, rel: str, made: dict[str, int]) -> int:
    if rel in made:
        return made[rel]
    current = getattr(getattr(out.writer, "publisher", None), "current", {})
    entry = current.get(rel)
    return entry.files[0][2] if entry is not None and entry.files else (out.writer.root / rel).stat().st_size


def write_scope(out: HubWriter, scope: Scope, today: date, photos: Photos) -> Files:
    language = out.config.regency.language
    chosen = (capped_pages(scope.posts, out.config.build.pack_posts, out.config.hub.per_kim_cap, limit=1) or [[]])[0]
    week = unduh.week_label(today, language) if scope.bulletin and _week(scope, today) else ""
    events = [(i.kim.slug, i.item) for i in scope.events]
    key = memo_key(("unduh", scope.slug, scope.title, scope.url, week, repr(events),
                    [p.token for p in scope.posts[:unduh.FALLBACK_POSTS]]), chosen + _week(scope, today))
    pack, pdf = unduh.pack_path(scope.slug), unduh.bulletin_path(scope.slug)
    made: dict[str, int] = {}
    with out.writer.group(f"unduh:{scope.slug}", key) as kept:
        if not kept:
            data = offline.render_pack(pack_spec(out, scope, chosen, photos), minify=compress.minify)[0]
            out.writer.write(pack, data)
            made[pack] = len(data)
            if scope.bulletin:
                data = bulletin.render_bulletin(bulletin_spec(out, scope, today, photos))
                out.writer.write(pdf, data)
                made[pdf] = len(data)
    return Files(scope.slug, scope.title, _link(out, pack, made), _link(out, pdf, made) if scope.bulletin else None)


def _week(scope: Scope, today: date) -> list[HubPost]:
    return [scope.posts[i] for i in unduh.in_week([p.date for p in scope.posts], today)]


def _link(out: HubWriter, rel: str, made: dict[str, int]) -> dict[str, str]:
    return {"url": out.url + rel, "name": rel.rsplit("/", 1)[1],
            "size": i18n.file_size(_size(out, rel, made), out.config.regency.language)}


def write_downloads(out: HubWriter, posts: Sequence[HubPost], districts: Sequence[District],
                    extras_by_kim: dict[str, Extras], today: date) -> dict[str, Files]:
    """Every scope's files and the `unduh/` page; returns the files by scope (for the digest)."""
    photos = Photos(out.writer.root)
    made = {s.slug: write_scope(out, s, today, photos) for s in scopes(out, posts, districts, extras_by_kim, today)}
    out.page("unduh/", "unduh.html", title=out.ui["downloads"], description=out.ui["downloads_intro"],
             regency=made[REGENCY], districts=[f for slug, f in made.items() if slug != REGENCY])
    return made
