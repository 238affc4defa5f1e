"""Inline SVG charts: readable without JavaScript, a few hundred bytes each."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

BAR, GAP, HEIGHT = 8, 2, 24


def bar_chart(values: Sequence[int], labels: Sequence[str], scale: int, title: str) -> str:
    """Bars for `values` (e.g. posts per month), all charts on the same `scale`."""
    width = len(values) * (BAR + GAP)
    described = ", ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))
    parts = [f'<svg class="chart" width="{width}" height="{HEIGHT}" viewBox="0 0 {width} {HEIGHT}" '
             f'role="img" aria-label="{escape(title, {chr(34): "&quot;"})}: {escape(described, {chr(34): "&quot;"})}">']
    for index, value in enumerate(values):
        height = 0 if scale <= 0 else max(1 if value else 0, round(value / scale * (HEIGHT - 2)))
        x = index * (BAR + GAP)
        parts.append(f'<rect x="{x}" y="{HEIGHT - 1 - height}" width="{BAR}" height="{height}"/>'
                     if height else f'<rect class="zero" x="{x}" y="{HEIGHT - 1}" width="{BAR}" height="1"/>')
    parts.append("</svg>")
    return "".join(parts)
