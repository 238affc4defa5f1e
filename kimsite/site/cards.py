"""Share cards: the og:image of a page without a photo of its own (no PIL here: the build
pipeline makes the hub's card with it, and a card made before is copied, not drawn).

A card is 1200x630 (what WhatsApp and others show large), drawn once by `site.images.draw_card`
and cached under `.kimsite-cache/images/cards/` by what it shows (name, place, colour, the
logo's bytes, the fonts): it is drawn again only when one of them changes. Its file name carries
that key, so a preview cached by an app under the old name is never shown for a new card.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import SiteConfig, Variant
from kimsite.site.i18n import ui_text
from kimsite.site.pelican_settings import initials

CARD_SIZE = (1200, 630)
CARD_MAX_BYTES = 60_000
CARD_VERSION = 2  # raise when the drawing changes: every card is drawn again
DEFAULT_COLOUR = "#1d5e8c"  # the theme's --accent (themes/kim/static/css/kim.css)
# Debian's fonts-dejavu-core (installed by .ci/run); without it Pillow's own font is used
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf")
PNG_SIGNATURE = b"\x89PNG"


@dataclass(frozen=True)
class CardSpec:
    title: str  # the KIM's or the hub's name
    place: str  # the village and district, or the regency's line
    footer: str  # the regency, or the hub's address
    colour: str  # #rrggbb, dark enough for white text
    badge: str  # initials, shown when there is no logo
    logo: Path | None = None


def hub_card(config: SiteConfig) -> CardSpec:
    """The hub's card (a regency's, or a province's): its name, how many KIMs, its address, in
    the theme's colour."""
    regency, ui = config.regency, ui_text(config.regency.language)
    name = regency.name
    place = f"{ui['newest']} · {len(config.kims)} KIM"
    words = name.split(maxsplit=1)
    badge = initials(words[-1] if words[0].lower() in ("kabupaten", "kota", "provinsi") else name)
    return CardSpec(f"{ui['hub']} {name}", place, regency.base_url.split("://", 1)[-1].rstrip("/"),
                    DEFAULT_COLOUR, badge)


def fonts() -> tuple[Path, Path] | None:
    """(bold, regular) when both are installed, else None (Pillow's built-in font)."""
    bold, regular = (FONT_DIR / name for name in FONTS)
    return (bold, regular) if bold.is_file() and regular.is_file() else None


def card_key(spec: CardSpec, found: tuple[Path, Path] | None) -> str:
    digest = hashlib.sha256(repr((CARD_VERSION, CARD_SIZE, CARD_MAX_BYTES, spec.title, spec.place, spec.footer,
                                  spec.colour, spec.badge)).encode())
    digest.update(hashlib.sha256(spec.logo.read_bytes()).digest() if spec.logo else b"-")
    for font in found or ():
        digest.update(f"{font}:{font.stat().st_size}".encode())
    return digest.hexdigest()


def font_warning(shown: str) -> Problem:
    return Problem(shown, Text(f"huruf DejaVu tidak ada di {FONT_DIR}: kartu pratinjau memakai huruf bawaan Pillow",
                               f"the DejaVu fonts are missing from {FONT_DIR}: the share card uses Pillow's own font"),
                   Text("pasang paket Debian fonts-dejavu-core (apt-get install fonts-dejavu-core)",
                        "install Debian's fonts-dejavu-core (apt-get install fonts-dejavu-core)"),
                   key="card", severity=Severity.WARNING)


def write_card(spec: CardSpec, cache_dir: Path, write: Callable[[str, bytes], None],
               shown: str) -> tuple[Variant, list[Problem]]:
    """Write the card (`write(name, bytes)`, name relative to the site) and return it; drawn only
    when no card with the same key was drawn before. A missing font is a warning, when drawing."""
    found = fonts()
    key = card_key(spec, found)
    cached = cache_dir / "images" / "cards" / f"{key}.bin"
    problems: list[Problem] = []
    if cached.is_file():
        data = cached.read_bytes()
    else:
        from kimsite.site import images  # PIL: only when a card is drawn

        data = images.draw_card(spec, found, CARD_SIZE, CARD_MAX_BYTES)
        problems += [] if found else [font_warning(shown)]
        cached.parent.mkdir(parents=True, exist_ok=True)
        temp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        temp.write_bytes(data)
        temp.replace(cached)  # whole or absent: two workers may draw the same card
    name = f"kartu-{key[:12]}." + ("png" if data.startswith(PNG_SIGNATURE) else "jpg")
    write(name, data)
    return Variant(name, *CARD_SIZE), problems


def hub_card_key(config: SiteConfig) -> str:
    return card_key(hub_card(config), fonts())


def write_hub_card(config: SiteConfig, cache_dir: Path, write: Callable[[str, bytes], None],
                   problems: list[Problem]) -> Variant:
    """The hub's card, for the build to hand the hub (which never draws: no PIL in its process
    unless a card must be drawn); a warning is added to `problems`."""
    card, found = write_card(hub_card(config), cache_dir, write, display_path(config.path, config.root))
    problems += found
    return card
