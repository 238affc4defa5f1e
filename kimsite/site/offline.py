"""The offline pack: one self-contained HTML file to pass on by WhatsApp or USB (pure).

Everything is inside the file: the CSS inline, the photos as WebP data URIs, no script, and a
Content-Security-Policy that forbids any request at all, so a pack opened from a phone's file
manager or a WhatsApp document never reaches for the network (links still open the site).
A pack over its byte limit leaves out the photos of its oldest posts first.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

LIMIT = 600 * 1024  # bytes: a WhatsApp document that a 0.23 Mbit/s share sends in about 20 s
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"
# writer HTML is sanitised already (nh3); what would load something is taken out here
_MEDIA = re.compile(r"<(picture|iframe|video|audio|object)\b.*?</\1>|<(img|source|embed|track)\b[^>]*>",
                    re.IGNORECASE | re.DOTALL)
_EMPTY_FIGURE = re.compile(r"<figure>\s*</figure>", re.IGNORECASE)
CSS = (
    ":root{--accent:%s}*{box-sizing:border-box}body{margin:0 auto;max-width:42rem;padding:0 1rem 2rem;"
    "font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#fff;"
    "overflow-wrap:anywhere}a{color:var(--accent)}header{border-top:6px solid var(--accent);padding-top:.5rem}"
    "h1{font-size:1.5rem;margin:.5rem 0 .2rem;line-height:1.2}h2{font-size:1.25rem;border-bottom:2px solid "
    "var(--accent);margin-top:2rem}h3{font-size:1.1rem;margin:0 0 .2rem;line-height:1.3}.meta,.stamp,.small"
    "{color:#555;font-size:.875rem;margin:.2rem 0}article{border-bottom:1px solid #ddd;padding:1rem 0}"
    "img{display:block;max-width:100%%;height:auto;margin:.5rem 0;border-radius:.3rem}table{display:block;"
    "overflow-x:auto;border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem}pre{overflow-x:"
    "auto}.verdict{font-weight:700;color:#a11}nav a{margin-right:.6rem}ul{padding-left:1.2rem}"
)


@dataclass(frozen=True)
class PackPhoto:
    webp: bytes  # a ~480 px WebP made by the photo pipeline (no metadata)
    width: int
    height: int
    alt: str


@dataclass(frozen=True)
class PackPost:
    title: str
    meta: str  # who and when
    summary: str
    url: str
    html: str = ""  # the sanitised text (media are taken out); "" shows the summary alone
    photo: PackPhoto | None = None
    verdict: str | None = None


@dataclass(frozen=True)
class PackEvent:
    title: str
    when: str
    place: str
    who: str = ""


@dataclass(frozen=True)
class PackProduct:
    name: str
    price: str
    seller: str
    url: str
    order_link: str


@dataclass(frozen=True)
class PackLink:
    label: str
    text: str
    href: str


@dataclass(frozen=True)
class PackSpec:
    title: str
    place: str
    stamp: str  # when it was made: "Dibuat dari kabar hingga 21 November 2026"
    site_url: str
    site_label: str  # "Buka situs KIM Glagah Lestari"
    colour: str
    language: str
    labels: dict[str, str]  # the section headings (site.unduh.PACK_LABELS)
    posts: tuple[PackPost, ...]
    events: tuple[PackEvent, ...] = ()
    products: tuple[PackProduct, ...] = ()
    contacts: tuple[PackLink, ...] = ()
    canonical: str = ""  # the pack's own address online


def strip_media(html: str) -> str:
    """The text of a post without anything that would load: photos, embeds, video, audio."""
    return _EMPTY_FIGURE.sub("", _MEDIA.sub("", html))


def _photo(photo: PackPhoto) -> str:
    data = base64.b64encode(photo.webp).decode()
    return (f'<img src="data:image/webp;base64,{data}" width="{photo.width}" height="{photo.height}" '
            f'alt="{escape(photo.alt)}">')


def _post(post: PackPost, number: int, with_photo: bool, labels: dict[str, str]) -> str:
    verdict = f'<p class="verdict">{escape(post.verdict)}</p>' if post.verdict else ""
    body = strip_media(post.html) if post.html else f"<p>{escape(post.summary)}</p>"
    photo = _photo(post.photo) if with_photo and post.photo else ""
    return (f'<article id="berita-{number}"><h3>{escape(post.title)}</h3><p class="meta">{escape(post.meta)}</p>'
            f'{verdict}{photo}{body}<p><a href="{escape(post.url)}">{escape(labels["online"])}</a></p></article>')


def _events(spec: PackSpec) -> str:
    items = "".join(f"<li><strong>{escape(e.title)}</strong><br>{escape(e.when)}"
                    f"{' · ' + escape(e.place) if e.place else ''}{' · ' + escape(e.who) if e.who else ''}</li>"
                    for e in spec.events)
    return f'<section id="agenda"><h2>{escape(spec.labels["agenda"])}</h2><ul>{items}</ul></section>' if items else ""


def _products(spec: PackSpec) -> str:
    items = "".join(f'<li><a href="{escape(p.url)}">{escape(p.name)}</a> · {escape(p.price)} · {escape(p.seller)}'
                    f' · <a href="{escape(p.order_link)}">{escape(spec.labels["order"])}</a></li>'
                    for p in spec.products)
    return f'<section id="produk"><h2>{escape(spec.labels["products"])}</h2><ul>{items}</ul></section>' if items else ""


def _contacts(spec: PackSpec) -> str:
    items = "".join(f'<li>{escape(c.label)}: <a href="{escape(c.href)}">{escape(c.text)}</a></li>'
                    for c in spec.contacts)
    return f'<section id="kontak"><h2>{escape(spec.labels["contacts"])}</h2><ul>{items}</ul></section>'


def _document(spec: PackSpec, photos: int) -> str:
    sections = [("berita", spec.labels["news"]), ("agenda", spec.labels["agenda"] if spec.events else ""),
                ("produk", spec.labels["products"] if spec.products else ""), ("kontak", spec.labels["contacts"])]
    nav = " ".join(f'<a href="#{anchor}">{escape(label)}</a>' for anchor, label in sections if label)
    posts = "".join(_post(p, n, n <= photos, spec.labels) for n, p in enumerate(spec.posts, start=1))
    empty = f"<p>{escape(spec.labels['no_posts'])}</p>" if not spec.posts else ""
    return (
        f'<!DOCTYPE html><html lang="{spec.language}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<title>{escape(spec.title)}</title><meta name="description" content="{escape(spec.stamp)}">'
        f'<link rel="canonical" href="{escape(spec.canonical or spec.site_url)}"><link rel="icon" href="data:,">'
        f"<style>{CSS % spec.colour}</style></head><body>"
        f'<header><h1>{escape(spec.title)}</h1><p class="small">{escape(spec.place)}</p>'
        f'<p class="stamp">{escape(spec.stamp)}</p><p><a href="{escape(spec.site_url)}">{escape(spec.site_label)}</a>'
        f"</p><nav>{nav}</nav></header><main>"
        f'<section id="berita"><h2>{escape(spec.labels["news"])}</h2>{empty}{posts}</section>'
        f"{_events(spec)}{_products(spec)}{_contacts(spec)}</main>"
        f'<footer><p class="small">{escape(spec.stamp)} · <a href="{escape(spec.site_url)}">'
        f"{escape(spec.site_url)}</a></p></footer></body></html>"
    )


def render_pack(spec: PackSpec, limit: int = LIMIT, minify: Callable[[str], str] | None = None) -> tuple[bytes, int]:
    """The pack's bytes (through `minify` when given: the limit is on what is written) and how
    many posts' photos were left out to stay within `limit`."""
    with_photos = [n for n, p in enumerate(spec.posts, start=1) if p.photo]
    keep = len(spec.posts)
    while True:
        text = _document(spec, keep)
        data = (minify(text) if minify else text).encode()
        if len(data) <= limit or keep == 0:
            return data, sum(1 for n in with_photos if n > keep)
        keep = max((n for n in with_photos if n < keep), default=0)
