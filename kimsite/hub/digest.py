"""The weekly digest: plain text to paste into a WhatsApp group (about one phone screen)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from kimsite.hub.data import HubPost
from kimsite.site import i18n

MAX_ITEMS = 8  # a phone screen in a chat: more goes behind the "more" link


SHORT = 6  # characters of a code: 30 bits, so a regency of 15,000 posts has a clash now and then


def _code_of(url: str, size: int = 32) -> str:
    """The base32 of the first `size` bytes of the URL's SHA-256 (5 bytes: its first 8 letters,
    all a post needs unless 6, 7 and 8 are taken; base32 is slow in Python)."""
    return base64.b32encode(hashlib.sha256(url.encode()).digest()[:size]).decode().lower()


def _free(letters: str, taken: set[str]) -> str | None:
    return next((letters[:n] for n in range(SHORT, len(letters) + 1) if letters[:n] not in taken), None)


def short_codes(posts: Iterable[HubPost]) -> dict[str, str]:
    """A collision-free code per post URL: /s/<code>/ redirects to it. Each post takes the
    shortest prefix (at least 6 characters) of its URL's hash that no older post took, so a
    post keeps its code when newer posts arrive, and a clash only lengthens the newer code."""
    taken: set[str] = set()
    codes: dict[str, str] = {}
    for post in sorted(posts, key=lambda p: (p.date, p.url)):
        if post.url in codes:
            continue
        code = _free(_code_of(post.url, 5), taken) or _free(_code_of(post.url), taken)
        taken.add(code)
        codes[post.url] = code
    return codes


def week_of(posts: Sequence[HubPost], today: date, days: int = 7) -> list[HubPost]:
    start = today - timedelta(days=days - 1)
    return [p for p in posts if start <= p.date.date() <= today]


def week_label(today: date, language: str, days: int = 7) -> str:
    start = today - timedelta(days=days - 1)
    return f"{i18n.short_date(start, language)} – {i18n.short_date(today, language)}"


def download_lines(pack: dict[str, str], bulletin: dict[str, str] | None, language: str) -> list[str]:
    """The digest's links to the offline pack and the bulletin, with their sizes."""
    lines = [f"{'Kabar offline' if language == 'id' else 'Offline news'} ({pack['size']}): {pack['url']}"]
    if bulletin:
        lines.append(f"{'Buletin PDF' if language == 'id' else 'PDF bulletin'} ({bulletin['size']}): {bulletin['url']}")
    return lines


def render_digest(title: str, posts: Sequence[HubPost], today: date, language: str,
                  short_base: str, more_url: str, codes: dict[str, str], downloads: Sequence[str] = ()) -> str:
    """WhatsApp text: *bold* title, the week, one line per post with its short link, then the
    offline pack and the bulletin to pass on."""
    heading = "Kabar pekan ini" if language == "id" else "This week's news"
    lines = [f"*{title}*", f"{heading}, {week_label(today, language)}", ""]
    if not posts:
        lines.append("Belum ada berita pekan ini." if language == "id" else "No news this week.")
    for post in posts[:MAX_ITEMS]:
        lines.append(f"• {post.title} ({post.kim.name})")
        lines.append(f"  {short_base}s/{codes[post.url]}/")
    extra = len(posts) - MAX_ITEMS
    if extra > 0:
        more = f"dan {extra} berita lainnya" if language == "id" else f"and {extra} more"
        lines.append(f"… {more}: {more_url}")
    lines += ["", *downloads, more_url]
    return "\n".join(lines) + "\n"
