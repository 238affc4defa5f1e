"""A KIM site's downloads, made while the site builds (site.unduh says how they stay current)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from kimsite.errors import Problem, Severity, Text
from kimsite.models import Event, Extras, PhotoSet, Post, Product, SiteJob
from kimsite.output import compress
from kimsite.read.phone import normalise_whatsapp, whatsapp_link
from kimsite.site import bulletin, i18n, images, offline, unduh
from kimsite.site.context import event_context, order_message, price_text, upcoming
from kimsite.site.unduh import (
    DEFAULT_COLOUR,
    HIDDEN,
    PACK_LABELS,
    PHOTO_INDEX,
    Made,
    bulletin_path,
    pack_path,
    photo_stem,
    stamp,
    week_label,
)


def _variant(photo: PhotoSet, ext: str, width: int) -> str:
    variants = photo.webp if ext == "webp" else photo.jpeg
    return next((v.path for v in variants if v.width >= width), variants[-1].path)


def copy_photos(posts: list[Post], photos: dict[str, PhotoSet], job: SiteJob,
                staging: Path) -> dict[str, offline.PackPhoto]:
    """The pack copy (~480 px WebP) and the print copy (the 360 px JPEG) of each post's lead
    photo, into the hidden folder for the hub; returns the pack copies by output path."""
    folder = staging / HIDDEN
    folder.mkdir(parents=True, exist_ok=True)
    found: dict[str, offline.PackPhoto] = {}
    index: dict[str, list[int]] = {}
    for post in posts:
        if post.image is None or post.image.output_path in found or post.image.output_path not in photos:
            continue
        photo, stem = photos[post.image.output_path], photo_stem(post.image.output_path)
        data, width, height = images.pack_photo(staging / _variant(photo, "webp", images.PACK_WIDTH), job.cache_dir)
        (folder / f"{stem}.webp").write_bytes(data)
        shutil.copyfile(staging / _variant(photo, "jpg", 360), folder / f"{stem}.jpg")
        found[post.image.output_path] = offline.PackPhoto(data, width, height, post.image.alt or post.title)
        index[stem] = [width, height]
    (folder / PHOTO_INDEX).write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    return found


def event_item(event: Event, language: str) -> offline.PackEvent:
    when = str(event_context(event, language)["when"])
    return offline.PackEvent(event.title, when, event.place, event.organiser)


def product_item(product: Product, job: SiteJob) -> offline.PackProduct:
    name, url, language = job.profile.name or job.kim.name, job.kim.url, job.kim.language
    return offline.PackProduct(product.name, price_text(product, language), product.seller, url + product.url_path,
                               whatsapp_link(product.whatsapp, order_message(product, name, url, language)))


def contacts(job: SiteJob) -> tuple[offline.PackLink, ...]:
    found = job.profile.contacts
    links = [offline.PackLink("Situs" if job.kim.language == "id" else "Site", job.kim.url, job.kim.url)]
    number = normalise_whatsapp(found.whatsapp or "")
    if number:
        links.append(offline.PackLink("WhatsApp", found.whatsapp or number, whatsapp_link(number)))
    if found.email:
        links.append(offline.PackLink("Surel" if job.kim.language == "id" else "E-mail", found.email,
                                      f"mailto:{found.email}"))
    links += [offline.PackLink(s.label, s.url, s.url) for s in found.social]
    return tuple(links)


def post_meta(post: Post, author: str, language: str) -> str:
    return f"{author} · {i18n.day_month_year(post.date, language)} · {post.category.name}"


def pack_spec(job: SiteJob, posts: list[Post], more: Extras, pack_photos: dict[str, offline.PackPhoto]
              ) -> offline.PackSpec:
    kim, language = job.kim, job.kim.language
    name = job.profile.name or kim.name
    chosen = posts[:job.pack_posts]
    items = tuple(offline.PackPost(
        p.title, post_meta(p, p.author, language), p.summary, kim.url + p.url_path, p.html,
        pack_photos.get(p.image.output_path) if p.image else None,
        p.fact_check.verdict if p.fact_check else None) for p in chosen)
    labels = PACK_LABELS[language]
    return offline.PackSpec(
        f"{'Kabar' if language == 'id' else 'News from'} {name}", place(job), stamp([p.date for p in chosen], language),
        kim.url, f"{labels['open']} {name}", job.profile.color or DEFAULT_COLOUR, language, labels, items,
        tuple(event_item(e, language) for e in upcoming(more.events, job.build_time.date())),
        tuple(product_item(p, job) for p in more.products), contacts(job), kim.url + pack_path(kim.slug))


def place(job: SiteJob) -> str:
    kim = job.kim
    return f"{kim.village_title} {kim.village}, {job.regency.district_title} {kim.district}, {job.regency.name}"


def render_pack(spec: offline.PackSpec) -> bytes:
    return offline.render_pack(spec, minify=compress.minify)[0]


def downloads_context(job: SiteJob, made: Made) -> dict[str, Any]:
    """What the Unduh page shows: each file's address and size ('312 KB')."""
    language, slug = job.kim.language, job.kim.slug
    return {
        "pack": {"url": job.kim.url + pack_path(slug), "name": pack_path(slug).rsplit("/", 1)[1],
                 "size": i18n.file_size(made.sizes[pack_path(slug)], language)},
        "bulletin": {"url": job.kim.url + bulletin_path(slug), "name": bulletin_path(slug).rsplit("/", 1)[1],
                     "size": i18n.file_size(made.sizes[bulletin_path(slug)], language)},
    }


def week_posts(posts: list[Post], job: SiteJob) -> tuple[list[Post], bool]:
    """The bulletin's headlines: this week's posts, or the latest few when the week has none."""
    week = [posts[i] for i in unduh.in_week([p.date for p in posts], job.build_time.date())]
    return (week or posts[:unduh.FALLBACK_POSTS])[:unduh.BULLETIN_POSTS], bool(week)


def bulletin_spec(job: SiteJob, posts: list[Post], more: Extras, staging: Path) -> bulletin.BulletinSpec:
    kim, language, today = job.kim, job.kim.language, job.build_time.date()
    chosen, this_week = week_posts(posts, job)
    print_copy = {p.image.output_path: staging / HIDDEN / f"{photo_stem(p.image.output_path)}.jpg"
                  for p in chosen if p.image}
    items = tuple(bulletin.BulletinItem(
        p.title, post_meta(p, p.author, language), p.summary, kim.url + p.url_path,
        print_copy[p.image.output_path] if p.image and print_copy[p.image.output_path].is_file() else None,
        p.fact_check.verdict if p.fact_check else None) for p in chosen)
    fact = next((p for p in chosen if p.fact_check), None)
    box = bulletin.FactBox(fact.fact_check.verdict, fact.fact_check.claim, fact.title, kim.url + fact.url_path) \
        if fact and fact.fact_check else None
    events = tuple(bulletin.BulletinEvent(e.title, e.when, e.place) for e in
                   (event_item(ev, language) for ev in upcoming(more.events, today)))
    name = job.profile.name or kim.name
    return bulletin.BulletinSpec(
        f"{'Buletin' if language == 'id' else 'Bulletin'} {name}", place(job),
        week_label(today, language) if this_week else "", stamp([p.date for p in chosen], language), kim.url,
        job.profile.color or DEFAULT_COLOUR, language,
        unduh.made_at([p.date for p in chosen], today, job.build_time.tzinfo, this_week), items, events, box, this_week)


def write_downloads(job: SiteJob, posts: list[Post], more: Extras, photos: dict[str, PhotoSet],
                    staging: Path) -> tuple[dict[str, Any], list[Problem]]:
    """The pack and the bulletin into `staging` (reused from the last output when their specs
    are the same); returns the Unduh page's context and a warning for photos left out."""
    last = unduh.load_record(job.output_dir)
    made = Made({}, {})
    chosen, _this_week = week_posts(posts, job)
    pack_photos = copy_photos(posts[:job.pack_posts] + chosen, photos, job, staging)

    def render(spec: offline.PackSpec) -> bytes:
        data, made.dropped = offline.render_pack(spec, minify=compress.minify)
        return data

    unduh.make_file(pack_path(job.kim.slug), pack_spec(job, posts, more, pack_photos), render, job, staging, made,
                    last)
    unduh.make_file(bulletin_path(job.kim.slug), bulletin_spec(job, posts, more, staging), bulletin.render_bulletin,
                    job, staging, made, last)
    unduh.save_record(staging, made)
    return downloads_context(job, made), _dropped(job, made.dropped)


def _dropped(job: SiteJob, dropped: int) -> list[Problem]:
    if not dropped:
        return []
    limit = offline.LIMIT // 1024
    return [Problem(pack_path(job.kim.slug), Text(
        f"kabar offline melebihi {limit} KB: foto {dropped} berita terlama tidak dimuat",
        f"the offline pack is over {limit} KB: the photos of its {dropped} oldest posts are left out"),
        Text("perkecil foto berita terbaru atau kurangi build.pack_posts di sites.yaml",
             "use smaller photos in the newest posts or lower build.pack_posts in sites.yaml"),
        site=job.kim.slug, severity=Severity.WARNING)]
