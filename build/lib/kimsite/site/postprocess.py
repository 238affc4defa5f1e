"""HTML transforms with BeautifulSoup: the only importer of bs4."""

from __future__ import annotations

from bs4 import BeautifulSoup

from kimsite.models import PhotoSet
from kimsite.site.picture import picture_html


def responsive_images(html: str, photos: dict[str, PhotoSet], site_url: str) -> str:
    """Replace each <img> of a processed local photo by its <picture> (WebP + JPEG srcsets)."""
    if "<img" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for img in soup.find_all("img"):
        src = str(img.get("src", ""))
        photo = photos.get(src.removeprefix(site_url)) if src.startswith(site_url) else None
        if photo is not None:
            markup = picture_html(photo, str(img.get("alt", "")), site_url)
            img.replace_with(BeautifulSoup(markup, "html.parser"))
            changed = True
    return str(soup) if changed else html
