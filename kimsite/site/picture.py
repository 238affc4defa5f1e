"""Markup for a responsive photo: <picture> with WebP and JPEG srcsets (pure)."""

from __future__ import annotations

from html import escape

from kimsite.models import PhotoSet, Variant

# the text column is at most 44rem wide; on a phone the photo spans the screen
SIZES = "(min-width: 46rem) 44rem, calc(100vw - 2rem)"


def srcset(site_url: str, variants: tuple[Variant, ...]) -> str:
    return ", ".join(f"{site_url}{v.path} {v.width}w" for v in variants)


def picture_html(photo: PhotoSet, alt: str, site_url: str, *, lead: bool = False) -> str:
    """A lead photo loads at once (it is the largest paint); others load lazily."""
    fallback = photo.fallback
    loading = 'fetchpriority="high"' if lead else 'loading="lazy"'
    return (
        f'<picture><source type="image/webp" srcset="{srcset(site_url, photo.webp)}" sizes="{SIZES}">'
        f'<img src="{site_url}{fallback.path}" srcset="{srcset(site_url, photo.jpeg)}" sizes="{SIZES}" '
        f'width="{fallback.width}" height="{fallback.height}" alt="{escape(alt)}" {loading} decoding="async">'
        "</picture>"
    )


# A list's thumbnail: every lead photo gets one, cover-cropped to this size, so a page that knows
# only a photo's fallback path (the hub) knows its thumbnail's name and size too.
THUMB_SIZE = (120, 90)
EAGER_THUMBS = 2  # the first items of a list are on the first screen; the rest load lazily


def thumb_path(fallback_path: str) -> str:
    """'foto/x-1a2b.jpg' (or its URL) → 'foto/x-1a2b-thumb.webp'."""
    return fallback_path.removesuffix(".jpg") + "-thumb.webp"


def share_path(fallback_path: str) -> str:
    """'foto/x-1a2b.jpg' (or its URL) → 'foto/x-1a2b-share.jpg', the lead photo's 1200x630 copy."""
    return fallback_path.removesuffix(".jpg") + "-share.jpg"


def thumb_html(url: str, index: int) -> str:
    """A decorative thumbnail (alt=""): the headline beside it is the link and says what it shows,
    so a screen reader is not read a photo description before every headline. `index`: the item's
    place in its list from 0 (the first EAGER_THUMBS load at once)."""
    width, height = THUMB_SIZE
    lazy = ' loading="lazy"' if index >= EAGER_THUMBS else ""
    return (f'<img class="thumb" src="{escape(url)}" width="{width}" height="{height}" alt=""{lazy} '
            'decoding="async">')
