"""An old blog's HTML → clean Markdown: the only importer of markdownify.

Before conversion the HTML loses what only WordPress or Blogger understood: block comments
(`<!-- wp:paragraph -->`), `[caption]` shortcodes (their photo and caption are kept as a
figure), other shortcodes (`[gallery]`, `[embed]`), and then everything the post sanitiser
removes (`read.markup.sanitise`: scripts, styles, inline `style`, handlers, foreign
iframes). Headings, lists, tables, links and photos stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from markdownify import MarkdownConverter

from kimsite.read.markup import sanitise

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<body>.*?)\[/caption\]", re.S | re.I)
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]", re.I)
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"(?P<src>[^\"]+)\"", re.I)
_BLOCK_START = re.compile(r"^\s*<(?:p|div|h[1-6]|ul|ol|table|figure|blockquote|pre|hr|iframe)\b", re.I)
_IMAGE_LINK = re.compile(r"\.(?:jpe?g|png|gif|webp)(?:\?.*)?$", re.I)


def _figure(match: re.Match[str]) -> str:
    body = match["body"]
    image = re.search(r"<img\b[^>]*>", body)
    caption = re.sub(r"<[^>]+>", "", body[image.end():] if image else body).strip()
    return f"<figure>{image.group(0) if image else ''}<figcaption>{caption}</figcaption></figure>"


def _paragraphs(html: str) -> str:
    """Paragraphs the classic editor stored as blank lines (WordPress adds the <p> only when it shows a post)."""
    if re.search(r"<p[\s>]", html, re.I):
        return html
    chunks = [c.strip() for c in re.split(r"\n\s*\n", html) if c.strip()]
    return "\n".join(c if _BLOCK_START.match(c) else f"<p>{c.replace(chr(10), '<br>')}</p>" for c in chunks)


def clean_html(html: str) -> str:
    """The HTML without WordPress's markup and anything the sanitiser refuses."""
    html = _BLOCK_COMMENT.sub("", html)
    html = _CAPTION.sub(_figure, html)
    html = _SHORTCODE.sub("", html)
    return sanitise(_paragraphs(html))


def image_sources(clean: str) -> list[str]:
    """The photos a cleaned body shows, in order, each once."""
    return list(dict.fromkeys(m["src"].replace("&amp;", "&") for m in _IMG_SRC.finditer(clean)))


class _Converter(MarkdownConverter):
    """Photos point at the files downloaded beside the post; one that is not there is left out
    (its description stays as text), and a link around a photo to the old blog's full-size
    file goes with it."""

    def __init__(self, photos: Callable[[str], str | None], **options: Any):
        super().__init__(**options)
        self.photos = photos

    def convert_img(self, el: Any, text: str, *args: Any, **kwargs: Any) -> str:  # noqa: ANN401
        local = self.photos(el.get("src", ""))
        alt = " ".join((el.get("alt") or "").split())
        if local is None:
            return alt
        return f"![{alt.replace(']', '')}]({local})"

    def convert_a(self, el: Any, text: str, *args: Any, **kwargs: Any) -> str:  # noqa: ANN401
        if _IMAGE_LINK.search(el.get("href", "")) and el.find("img") is not None:
            return text
        return super().convert_a(el, text, *args, **kwargs)

    def convert_figcaption(self, el: Any, text: str, *args: Any, **kwargs: Any) -> str:  # noqa: ANN401
        caption = " ".join(text.split())
        return f"\n\n*{caption}*\n\n" if caption else ""

    def convert_figure(self, el: Any, text: str, *args: Any, **kwargs: Any) -> str:  # noqa: ANN401
        return f"\n\n{text.strip()}\n\n"


def to_markdown(clean: str, photos: Callable[[str], str | None]) -> str:
    """Markdown of a cleaned body; `photos` maps a photo's URL to its local file name (None: left out)."""
    converter = _Converter(photos, heading_style="ATX", bullets="-", strong_em_symbol="*", escape_misc=False)
    text = converter.convert(clean)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
