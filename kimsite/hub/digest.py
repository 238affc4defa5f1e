"""The weekly digest: plain text to paste into a WhatsApp group (about one phone screen)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import date, timedelta

from kimsite.hub.data import HubPost
from kimsite.site import i18n

MAX_ITEMS = 8  # a phone screen in a chat: more goes behind the "more" link


def short_code(url: str) -> str:
    """A short, stable code for a post URL: /s/<code>/ redirects to it."""
    return base64.b32encode(hashlib.sha256(url.encode()).digest()).decode()[:6].lower()


def week_of(posts: Sequence[HubPost], today: date, days: int = 7) -> list[HubPost]:
    start = today - timedelta(days=days - 1)
    return [p for p in posts if start <= p.date.date() <= today]


def week_label(today: date, language: str, days: int = 7) -> str:
    start = today - timedelta(days=days - 1)
    return f"{i18n.short_date(start, language)} – {i18n.short_date(today, language)}"


def render_digest(title: str, posts: Sequence[HubPost], today: date, language: str,
                  short_base: str, more_url: str) -> str:
    """WhatsApp text: *bold* title, the week, one line per post with its short link."""
    heading = "Kabar pekan ini" if language == "id" else "This week's news"
    lines = [f"*{title}*", f"{heading}, {week_label(today, language)}", ""]
    if not posts:
        lines.append("Belum ada berita pekan ini." if language == "id" else "No news this week.")
    for post in posts[:MAX_ITEMS]:
        lines.append(f"• {post.title} ({post.kim.name})")
        lines.append(f"  {short_base}s/{short_code(post.url)}/")
    extra = len(posts) - MAX_ITEMS
    if extra > 0:
        more = f"dan {extra} berita lainnya" if language == "id" else f"and {extra} more"
        lines.append(f"… {more}: {more_url}")
    lines += ["", more_url]
    return "\n".join(lines) + "\n"
