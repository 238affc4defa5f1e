"""The province hub: every regency's coverage and KIMs, and the newest news across them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kimsite.hub import data
from kimsite.hub.pages import HubWriter, environment, write_feeds, write_not_found, write_theme_css
from kimsite.models import Post, ProvinceConfig, SiteConfig, Variant
from kimsite.output import compress
from kimsite.output.files import GuardedWriter
from kimsite.site import feeds, i18n, sitemaps


@dataclass(frozen=True)
class RegencySummary:
    slug: str
    config: SiteConfig
    kims: int
    posts: int
    villages: int  # 0 when the regency has no region table
    covered: int

    @property
    def url(self) -> str:
        return self.config.regency.base_url


def summarise(slug: str, config: SiteConfig, posts_by_kim: dict[str, Sequence[Post]]) -> RegencySummary:
    total = data.coverage(config, config.region_table)[0] if config.region_table else None
    return RegencySummary(slug, config, len(config.kims), sum(len(p) for p in posts_by_kim.values()),
                          total.villages if total else 0, len(total.covered) if total else 0)


def _province_as_regency(province: ProvinceConfig) -> SiteConfig:
    """A stand-in config so the regency hub's page and feed writers serve the province too."""
    first = province.regencies[0][1]
    regency = first.regency.__class__(
        name=province.name, code=province.code, base_url=province.base_url, timezone=first.regency.timezone,
        language=province.language, district_title="Kabupaten/Kota", village_title=None)
    kims = tuple(k for _slug, config in province.regencies for k in config.kims)
    return first.__class__(path=province.path, root=province.path.parent, content_dir=first.content_dir,
                           theme_dir=first.theme_dir, output_dir=province.output_dir, regions_path=None,
                           regency=regency, kims=kims, hub=first.hub)


def write_province_hub(province: ProvinceConfig, regencies: Sequence[RegencySummary],
                       posts_by_kim: dict[str, Sequence[Post]], today: date, output: Path,
                       card: Callable[[SiteConfig, GuardedWriter], Variant] | None = None) -> int:
    """`card`: writes the share card (site.cards, from the build: the hub never draws)."""
    stand_in = _province_as_regency(province)
    writer = GuardedWriter(output)
    out = HubWriter(stand_in, writer, environment(stand_in.theme_dir, province.language),
                    i18n.ui_text(province.language), downloads=False, card=card(stand_in, writer) if card else None)
    posts = [p for p in data.hub_posts(stand_in, posts_by_kim) if p.date.date() <= today]
    newest = data.capped_pages(posts, stand_in.hub.posts_per_page, stand_in.hub.per_kim_cap, limit=1)
    totals = {"kims": sum(r.kims for r in regencies), "posts": sum(r.posts for r in regencies),
              "villages": sum(r.villages for r in regencies), "covered": sum(r.covered for r in regencies)}
    title = f"{out.ui['hub']} {province.name}"
    out.page("", "province.html", title=title, description=f"{title}: {totals['kims']} KIM", province=True,
             regencies=regencies, totals=totals, posts=newest[0] if newest else [])
    every = out.ui["all_kims"]
    sites = [feeds.OpmlSite(f"{title} ({every})", province.base_url, "")]
    for r in regencies:
        name = r.config.regency.name
        sites.append(feeds.OpmlSite(f"{out.ui['hub']} {name} ({every})", r.url, name))
        sites += [feeds.OpmlSite(k.name, k.url, name, k.feed) for k in r.config.kims]
    out.writer.write("opml.xml", feeds.render_opml(f"KIM {province.name}", sites))
    write_feeds(out, "", title, posts)
    write_not_found(out, province=True)
    out.writer.write("sitemap.xml", sitemaps.render_sitemap([(province.base_url, None)]))
    robots = "User-agent: *\nAllow: /\n\n" + "".join(
        f"Sitemap: {u}\n" for u in sorted([province.base_url + "sitemap.xml"]
                                          + [r.url + "sitemap.xml" for r in regencies]))
    out.writer.write("robots.txt", robots.encode())
    write_theme_css(out)
    compress.minify_tree(output)
    compress.precompress_tree(output, stand_in.build.precompress)
    return len(out.writer.written)
