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
