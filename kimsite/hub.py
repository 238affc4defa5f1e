"""The regency hub, built from the in-memory results (never from written HTML).

For now a plain list of the KIM sites; the full hub is its own issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2

from kimsite import i18n, sitemaps
from kimsite.models import SiteConfig
from kimsite.outputs import GuardedWriter


def _environment(theme_dir: Path, language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme_dir / "hub"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["tanggal"] = lambda value: i18n.long_date(value, language)
    return env


def write_hub(config: SiteConfig, results: Sequence, output: Path) -> int:
    """Write the hub's pages into `output`; return how many files were written."""
    language = config.regency.language
    env = _environment(config.theme_dir, language)
    by_slug = {r.kim: r for r in results}
    sites = []
    for kim in sorted(config.kims, key=lambda k: (k.district, k.village, k.slug)):
        result = by_slug.get(kim.slug)
        posts = result.posts if result else ()
        sites.append({"kim": kim, "count": len(posts), "newest": posts[0].date if posts else None})
    writer = GuardedWriter(output)
    page = env.get_template("index.html").render(
        regency=config.regency, sites=sites, UI=i18n.ui_text(language), url=config.regency.base_url,
    )
    writer.write("index.html", page.encode())
    sitemap_urls = [k.url + "sitemap.xml" for k in config.kims if not k.own_domain]
    robots = "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {u}\n" for u in sorted(sitemap_urls))
    writer.write("robots.txt", robots.encode())
    writer.write("sitemap.xml", sitemaps.render_sitemap([(config.regency.base_url, None)]))
    return len(writer.written)
