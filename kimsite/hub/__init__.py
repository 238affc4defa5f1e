"""Stage 4, the hubs: the regency hub (all KIM news in one place, the directory, coverage,
activity) and the province hub over the regencies.

Takes the sites' in-memory results and the profiles (no written HTML is read back and
nothing is fetched); gives the hub's files through `output.publish`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from kimsite.hub import data, digest, search, unduh
from kimsite.hub.activity import SK_EXPIRED, SK_EXPIRING, SK_MISSING, SK_VALID, kim_activity, last_months
from kimsite.hub.charts import bar_chart
from kimsite.hub.extras import write_agenda, write_fact_checks, write_products
from kimsite.hub.pages import (
    HubWriter,
    Templates,
    compiled,
    environment,
    write_archive,
    write_cms_script,
    write_data_files,
    write_district,
    write_feeds,
    write_list,
    write_not_found,
    write_theme_css,
)
from kimsite.models import Contacts, Extras, Kim, Post, Profile, SiteConfig, Variant
from kimsite.output.files import GuardedWriter
from kimsite.read.external import ExternalFeeds, FeedStatus
from kimsite.site import feeds, i18n, sitemaps
from kimsite.site import search as site_search

CLUSTERS = {
    "id": ["SK berlaku dan rutin menerbitkan berita", "Menerbitkan, tetapi organisasi/keteraturan belum beres",
           "SK berlaku tetapi tidak menerbitkan berita", "SK habis/tidak ada dan tidak ada kegiatan"],
    "en": ["Valid SK and regular publishing", "Publishing, but the organisation or regularity lags",
           "Valid SK but not publishing", "SK expired or missing and nothing runs"],
}
SK_LABELS = {
    "id": {SK_VALID: "berlaku", SK_EXPIRING: "segera habis", SK_EXPIRED: "habis", SK_MISSING: "tidak ada"},
    "en": {SK_VALID: "valid", SK_EXPIRING: "expiring", SK_EXPIRED: "expired", SK_MISSING: "missing"},
}


def _rule_text(config: SiteConfig) -> str:
    r = config.activity
    if config.regency.language == "en":
        return (f"Rule: regular = at least {r.regular_min_posts} posts in {r.regular_days} days; publishing = a post "
                f"within {r.publishing_days} days; an SK ending within {r.sk_expiring_days} days is 'expiring'. "
                "1: SK in order and regular; 2: publishing otherwise; 3: SK in order, not publishing; 4: the rest.")
    return (f"Aturan: rutin = minimal {r.regular_min_posts} berita dalam {r.regular_days} hari; menerbitkan = ada "
            f"berita dalam {r.publishing_days} hari; SK yang habis dalam {r.sk_expiring_days} hari = 'segera habis'. "
            "1: SK beres dan rutin; 2: menerbitkan selain itu; 3: SK beres, tidak menerbitkan; 4: selebihnya.")


def _no_profile(kim: Kim) -> Profile:
    """A KIM whose profile never read without errors: no SK, no contacts (the dashboard says so)."""
    return Profile(kim.name, kim.village, kim.district, None, None, (), Contacts(), "", None, None)


def through_yesterday(posts: Sequence[data.HubPost], today: date) -> tuple[date, list[data.HubPost]]:
    """The day the dashboard and directory figures run to, and the posts up to it. Their figures
    are counted in days and change for every KIM once a day anyway; made through yesterday they
    change once a day, in the day's first build, and a post published today rewrites none of
    their pages and data files (the KIM's site, the news lists and the feeds show it at once)."""
    as_of = today - timedelta(days=1)
    return as_of, [p for p in posts if p.date.date() <= as_of]


def write_dashboard(out: HubWriter, profiles: dict[str, Profile], posts: Sequence[data.HubPost], today: date,
                    held: dict[str, int]) -> None:
    """`dasbor/` and its CSV and JSON, through yesterday: kept as published, without counting a
    post, while their posts, profiles, held items and the day are the same (a same-day post)."""
    as_of, posts = through_yesterday(posts, today)
    parts = ("dasbor", today, sorted(held.items()), [(k.slug, profiles.get(k.slug)) for k in out.config.kims])
    with out.writer.group("dasbor", data.memo_key(parts, posts)) as kept:
        if not kept:
            _write_dashboard(out, profiles, posts, today, as_of, held)


def _write_dashboard(out: HubWriter, profiles: dict[str, Profile], posts: Sequence[data.HubPost], today: date,
                     as_of: date, held: dict[str, int]) -> None:
    config, language = out.config, out.config.regency.language
    by_kim: dict[str, list[data.HubPost]] = {k.slug: [] for k in config.kims}
    for post in posts:
        by_kim[post.kim.slug].append(post)
    items = [kim_activity(k, profiles.get(k.slug) or _no_profile(k), by_kim[k.slug], as_of, config.activity)
             for k in sorted(config.kims, key=lambda k: k.name)]
    months = last_months(as_of)
    labels = [i18n.month_year(date(y, m, 1), language) for y, m in months]
    scale = max((v for item in items for v in item.monthly), default=0)
    charts = {i.kim.slug: bar_chart(i.monthly, labels, scale, out.ui["posts_per_month"]) for i in items}
    counts = {n: sum(1 for i in items if i.cluster == n) for n in (1, 2, 3, 4)}
    out.page("dasbor/", "dashboard.html", title=out.ui["dashboard"], description=out.ui["dashboard_intro"],
             items=items, charts=charts, cluster_counts=counts, rules=config.activity,
             cluster_labels=list(enumerate(CLUSTERS[language], start=1)), sk_labels=SK_LABELS[language],
             inactive=[i for i in items if i.inactive], rule_text=_rule_text(config),
             months_label=f"{labels[0]} – {labels[-1]}", as_of=as_of,
             held=[(k.name, held[k.slug]) for k in sorted(config.kims, key=lambda k: k.name) if held.get(k.slug)])
    write_data_files(out, items, today, as_of)


def write_digests(out: HubWriter, posts: Sequence[data.HubPost], districts: Sequence[data.District],
                  today: date, codes: dict[str, str], files: dict[str, unduh.Files]) -> list[data.HubPost]:
    """`kabar-pekan-ini/`: the seven days through yesterday, like the dashboard and the hub's
    packs: made once a day (on Monday, the whole week before), never rewritten by a same-day post."""
    config, language, as_of = out.config, out.config.regency.language, today - timedelta(days=1)
    week = digest.week_of(posts, as_of)
    scopes = [("kabupaten", config.regency.name, week, out.url)]
    scopes += [(d.slug, f"{config.regency.district_title} {d.name}",
                [p for p in week if p.kim.district_code == d.code], f"{out.url}wilayah/{d.slug}/") for d in districts]
    blocks = []
    for slug, title, chosen, more in scopes:
        text = digest.render_digest(f"Kabar KIM {title}", chosen, as_of, language, out.url, more, codes,
                                    digest.download_lines(files[slug].pack, files[slug].bulletin, language)
                                    if slug in files else [])
        out.writer.write(f"kabar-pekan-ini/{slug}.txt", text.encode())
        blocks.append({"slug": slug, "title": title, "text": text})
    out.page("kabar-pekan-ini/", "digest.html", title=f"{out.ui['digest']}: {digest.week_label(as_of, language)}",
             description=out.ui["digest_intro"], digests=blocks)
    return week


def write_short_links(out: HubWriter, posts: Sequence[data.HubPost], codes: dict[str, str]) -> None:
    """A redirect page per post; one memo group per KIM, kept whole while its posts and their
    codes stand."""
    by_kim: dict[str, list[data.HubPost]] = {}
    for post in posts:
        by_kim.setdefault(post.kim.slug, []).append(post)
    for slug, own in sorted(by_kim.items()):
        with out.writer.group(f"short:{slug}", data.memo_key(("short", [codes[p.url] for p in own]), own)) as kept:
            for post in () if kept else own:  # keyed by the post's digest: no context pickled per page
                code = codes[post.url]
                out.render(f"s/{code}/index.html", "redirect.html", key=f"{code}\0{post.token}" if post.token else None,
                           post=post)


def write_corrections(out: HubWriter, posts: Sequence[data.HubPost]) -> None:
    """`ralat/`: the posts corrected after they were published, the latest correction first."""
    corrected = sorted((p for p in posts if p.correction), key=lambda p: (p.updated or p.date, p.url), reverse=True)
    label = out.ui["correction"]
    shown = [p._replace(summary=f"{label}: {p.correction}") for p in corrected]
    write_list(out, "ralat/", out.ui["corrections"], shown, intro=out.ui["corrections_intro"], feeds_base="",
               capped=False)


def write_directory(out: HubWriter, districts: Sequence[data.District], posts: Sequence[data.HubPost],
                    today: date) -> None:
    as_of, posts = through_yesterday(posts, today)
    latest: dict[str, object] = {}
    for post in posts:  # newest first: the first seen is the latest
        latest.setdefault(post.kim.slug, post.date)
    latest.update({k.slug: None for k in out.config.kims if k.slug not in latest})
    out.page("direktori/", "directory.html", title=out.ui["directory"],
             description=f"{out.ui['directory']} KIM {out.config.regency.name}", districts=districts, latest=latest,
             as_of=as_of)
    out.writer.write("opml.xml", feeds.render_opml(f"KIM {out.config.regency.name}", opml_sites(out, districts)))


def opml_sites(out: HubWriter, districts: Sequence[data.District]) -> list[feeds.OpmlSite]:
    """The regency's combined feed, then per district its combined feed and each KIM's."""
    regency, every = out.config.regency, out.ui["all_kims"]
    sites = [feeds.OpmlSite(f"{out.ui['hub']} {regency.name} ({every})", out.url, "")]
    for d in districts:
        group = f"{regency.district_title} {d.name}"
        sites.append(feeds.OpmlSite(f"{group} ({every})", f"{out.url}wilayah/{d.slug}/", group))
        sites += [feeds.OpmlSite(k.name, k.url, group, k.feed) for k in d.kims]
    return sites


def write_feed_status(out: HubWriter, external: ExternalFeeds) -> None:
    """`status-umpan/`: each external KIM's feed, its last fetch, HTTP status, entries and last error."""
    statuses = {s.kim: s for s in external.statuses}
    rows = [{"kim": k, "status": statuses.get(k.slug) or FeedStatus(k.slug, k.feed or ""),
             "shown": len(external.entries.get(k.slug, ()))} for k in out.config.kims if k.external]
    if rows:
        out.page("status-umpan/", "feed-status.html", title=out.ui["feed_status"],
                 description=out.ui["feed_status_intro"], statuses=rows)


def write_coverage(out: HubWriter) -> None:
    table = out.config.region_table
    total, rows = data.coverage(out.config, table) if table else (None, [])
    out.page("cakupan/", "coverage.html", title=out.ui["coverage"],
             description=f"{out.ui['coverage']} KIM {out.config.regency.name}", total=total, rows=rows)


def warm_up(config: SiteConfig) -> Templates | None:
    """What the hub needs before it writes, readied while the sites build (the parent waits for
    them then): its templates compiled, icalendar imported, Babel's calendar data loaded, the
    Pagefind binary found. A failure here (a broken template) is left for the hub to report,
    after the sites are built."""
    try:
        from kimsite.site import ics  # noqa: F401 - the agenda's calendar

        site_search.executable()
        i18n.long_date(date(2000, 1, 3), config.regency.language), i18n.number(1, config.regency.language)
        return compiled(config.theme_dir, config.regency.language)
    except Exception:  # noqa: BLE001 - reported by write_hub, which meets it again
        return None


def write_hub(config: SiteConfig, profiles: dict[str, Profile], posts_by_kim: dict[str, Sequence[Post]],
              today: date, writer: GuardedWriter, extras_by_kim: dict[str, Extras] | None = None,
              prepared: dict[str, list[data.HubPost]] | None = None, held: dict[str, int] | None = None,
              external: ExternalFeeds | None = None, card: Variant | None = None, env: Templates | None = None) -> int:
    """Write every hub page, feed and data file with `writer`; return the file count. A page or
    group made from unchanged posts is found unchanged by their digests, without pickling them.
    `prepared`: some KIMs' posts made into hub posts already; `card`: the share card, written by
    the build; `env`: the templates, from `warm_up`."""
    out = HubWriter(config, writer, env or environment(config.theme_dir, config.regency.language),
                    i18n.ui_text(config.regency.language), downloads=config.build.downloads, card=card)
    write_theme_css(out)  # first: every page's weight counts the stylesheet it links
    external = external or ExternalFeeds()
    kims = {k.slug: k for k in config.kims}
    prepared = {**(prepared or {}), **{slug: data.external_hub_posts(kims[slug], entries)
                                       for slug, entries in external.entries.items() if slug in kims}}
    write_cms_script(out)
    posts = [p for p in data.hub_posts(config, posts_by_kim, prepared) if p.date.date() <= today]
    with search.indexing(out, posts, today):  # Pagefind runs while the other pages are written
        _write_pages(out, posts, today, extras_by_kim or {}, held or {}, profiles, external)
    return len(writer.written)


def _write_pages(out: HubWriter, posts: list[data.HubPost], today: date, extras_by_kim: dict[str, Extras],
                 held: dict[str, int], profiles: dict[str, Profile], external: ExternalFeeds) -> None:
    """The hub's pages in two halves of about equal cost, on both cores: the short links, the
    downloads, the digests and the agenda in a forked process, the rest here."""
    districts = data.districts(config := out.config)
    with out.writer.alongside(lambda writer: _write_side(replace(out, writer=writer), posts, districts, today,
                                                         extras_by_kim)):
        write_list(out, "", f"{out.ui['hub']} {config.regency.name}", posts,
                   intro=f"{out.ui['newest']} · {len(config.kims)} KIM")
        write_feeds(out, "", f"{out.ui['hub']} {config.regency.name}", posts)
        write_archive(out, data.by_month(through_yesterday(posts, today)[1]))  # history: a day behind the lists
        for district in districts:
            write_district(out, district, [p for p in posts if p.kim.district_code == district.code])
        write_directory(out, districts, posts, today)
        write_coverage(out)
        write_dashboard(out, profiles, posts, today, held)
        product_folders = write_products(out, extras_by_kim)
        write_fact_checks(out, posts)
        write_corrections(out, posts)
        search.write_search(out)
        write_not_found(out)
        write_feed_status(out, external)
        _write_sitemaps(out, districts, product_folders)


def _write_side(out: HubWriter, posts: list[data.HubPost], districts: list[data.District], today: date,
                extras_by_kim: dict[str, Extras]) -> None:
    codes = digest.short_codes(posts)
    files = write_downloads(out, posts, districts, extras_by_kim, today)
    write_digests(out, posts, districts, today, codes, files)
    write_short_links(out, posts, codes)  # every post's: a link shared on WhatsApp outlives its week
    write_agenda(out, extras_by_kim, today)


def write_downloads(out: HubWriter, posts: Sequence[data.HubPost], districts: Sequence[data.District],
                    extras_by_kim: dict[str, Extras], today: date) -> dict[str, unduh.Files]:
    """The hub's packs and bulletins (none with `build.downloads: false`), through yesterday like
    the dashboard (README, "Unduh"): a post published today rewrites none of them."""
    if not out.downloads:
        return {}
    return unduh.write_downloads(out, through_yesterday(posts, today)[1], districts, extras_by_kim, today)


def _write_sitemaps(out: HubWriter, districts: Sequence[data.District], more: Sequence[str]) -> None:
    paths = ["", "direktori/", "cakupan/", "arsip/", "kabar-pekan-ini/", "dasbor/", "cek-fakta/", "agenda/", "ralat/",
             *(["unduh/"] if out.downloads else []), *more]
    paths += [f"wilayah/{d.slug}/" for d in districts]
    out.writer.write("sitemap.xml", sitemaps.render_sitemap([(out.url + p, None) for p in paths]))
    sitemap_urls = [out.url + "sitemap.xml"] + [k.url + "sitemap.xml" for k in out.config.kims if not k.own_domain]
    robots = "User-agent: *\nAllow: /\n\n" + "".join(f"Sitemap: {u}\n" for u in sorted(sitemap_urls))
    out.writer.write("robots.txt", robots.encode())
