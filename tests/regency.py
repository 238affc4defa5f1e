"""Crafted regencies for tests: a sites.yaml and content folders written into a tmp dir."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VILLAGES = ["34.01.01.2004", "34.01.01.2001", "34.01.02.1008", "34.01.05.2004"]

GOOD_POST = """---
title: {title}
date: 2025-0{month}-10 08:00
category: berita
---

Isi berita {title}.
"""


def write_regency(root: Path, kims: dict[str, dict[str, str | bytes]], config_extra: str = "") -> Path:
    """kims: slug → {relative path: text or bytes}; a profile is added when absent."""
    lines = [
        "regency:",
        "  name: Kabupaten Kulon Progo",
        '  code: "34.01"',
        "  base_url: https://kim.example.go.id/",
        "  timezone: WIB",
        f"regions: {ROOT / 'data' / 'wilayah-3401-kulon-progo.csv'}",
        f"theme: {ROOT / 'themes' / 'kim'}",
        "kims:",
    ]
    for position, (slug, files) in enumerate(kims.items()):
        lines += [f"  - slug: {slug}", f"    name: KIM {slug}", f'    village_code: "{VILLAGES[position]}"']
        folder = root / "content" / slug
        (folder / "posts").mkdir(parents=True, exist_ok=True)
        files = {"profile.yaml": f"name: KIM {slug}\n", **files}
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if isinstance(data, bytes) else data.encode())
    (root / "sites.yaml").write_text("\n".join(lines) + "\n" + config_extra)
    return root / "sites.yaml"


def good_posts(count: int) -> dict[str, str | bytes]:
    return {f"posts/2025-0{m}-10-berita-{m}.md": GOOD_POST.format(title=f"Berita {m}", month=m)
            for m in range(1, count + 1)}
