"""The regency hub on crafted regencies: counts, coverage, clusters, caps, OPML, digest."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests import invariants
from tests.conftest import BUILD_DATE, ROOT, run_kimsite
from tests.invariants import soup
from tests.regency import good_posts, write_regency

REGIONS = ROOT / "data" / "wilayah-3401-kulon-progo.csv"


def post(title: str, when: str, category: str = "berita") -> str:
    return f"---\ntitle: {title}\ndate: {when}\ncategory: {category}\n---\n\nIsi {title}.\n"


def profile(name: str, valid_until: str | None) -> str:
    sk = f'sk:\n  number: "1/2024"\n  date: 2024-01-01\n  valid_until: {valid_until}\n' if valid_until else ""
    return f"name: {name}\n{sk}"


def posts(prefix: str, dates: list[str]) -> dict[str, str | bytes]:
    return {f"posts/{d[:10]}-{prefix}-{n}.md": post(f"{prefix} {n}", d) for n, d in enumerate(dates)}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub")
    recent = [f"2026-11-{day:02d} 08:00" for day in (21, 20, 19, 18, 17, 16, 15, 14, 13, 12)]
    config = write_regency(root, {
        "kim-a": {"profile.yaml": profile("KIM kim-a", "2028-01-01"), **posts("alpha", recent)},  # Glagah, Temon
        "kim-b": {"profile.yaml": profile("KIM kim-b", "2025-06-30"), **posts("beta", ["2026-10-01 08:00"])},
        "kim-c": {"profile.yaml": profile("KIM kim-c", "2026-12-20")},  # Wates; SK expiring, nothing published
        "kim-d": {"profile.yaml": profile("KIM kim-d", None), **posts("delta", ["2024-01-05 08:00"])},  # Sidorejo
    }, config_extra="hub:\n  posts_per_page: 5\n  per_kim_cap: 3\n  feed_items: 5\n")
    result = run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    return root / "output"


def test_hub_passes_every_invariant(hub: Path) -> None:
    assert invariants.check_all(hub) == []


def numbered_pages(folder: Path) -> list[Path]:
    """The list pages with posts (not the next number's redirect to the front)."""
    pages = [p for p in folder.glob("halaman/*/index.html")
             if not soup(p).find("meta", attrs={"http-equiv": "refresh"})]
    return sorted(pages, key=lambda p: int(p.parent.name))


def test_home_caps_each_kim_per_page_and_keeps_every_post(hub: Path) -> None:
    first = soup(hub / "index.html")
    kims = [a.get_text() for a in first.select("article.card .meta a")]
    assert kims == ["KIM kim-a", "KIM kim-a", "KIM kim-a", "KIM kim-b", "KIM kim-d"]  # cap 3: B and D get a place
    seen = [a.get_text() for page in numbered_pages(hub) for a in soup(page).select("article.card h2 a")]
    assert len(seen) == len(set(seen)) == 12  # the numbered pages: nothing dropped, nothing twice


def test_home_leads_with_news_under_its_name_said_once(hub: Path) -> None:
    home = soup(hub / "index.html")
    name = "Portal KIM Kabupaten Kulon Progo"
    assert [h.get_text() for h in home.find_all("h1")] == [name]  # one h1: the name, in the header
    assert home.select_one("header h1 a.brand")["href"] == "https://kim.example.go.id/"
    assert home.title.get_text() == name
    first = home.select_one("main").find(["h1", "h2", "h3"])
    assert first.parent.name == "article" and first.a["href"] == home.select_one("article.card h2 a")["href"]
    numbered = soup(numbered_pages(hub)[0])  # other pages keep their own title as the h1, in main
    assert [h.get_text() for h in numbered.select("main h1")] == [f"{name} · Halaman 1"]
    assert numbered.select_one("header h1") is None and name in numbered.title.get_text()


def test_numbered_pages_count_from_the_oldest_and_link_both_ways(hub: Path) -> None:
    pages = numbered_pages(hub)
    titles = [[a.get_text() for a in soup(p).select("article.card h2 a")] for p in pages]
    # filled from the oldest, 5 a page, at most 3 of kim-a on each: the newest page holds what is left
    assert titles == [["alpha 7", "alpha 8", "alpha 9", "beta 0", "delta 0"], ["alpha 4", "alpha 5", "alpha 6"],
                      ["alpha 1", "alpha 2", "alpha 3"], ["alpha 0"]]
    front = soup(hub / "index.html")  # page 4's one post is on the front page: "older" skips to page 3
    assert front.select_one("a[rel=next]")["href"] == "https://kim.example.go.id/halaman/3/"
    newest = soup(pages[-1])  # its newer page is the next number, a redirect to the front until it is written
    assert newest.select_one("a[rel=prev]")["href"] == "https://kim.example.go.id/halaman/5/"
    refresh = soup(hub / "halaman" / "5" / "index.html").find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=https://kim.example.go.id/"
    assert newest.select_one("a[rel=next]")["href"] == "https://kim.example.go.id/halaman/3/"
    assert soup(pages[0]).select_one("a[rel=next]") is None


def test_combined_feeds_are_newest_first_and_capped(hub: Path) -> None:
    feed = feedparser.parse((hub / "atom.xml").read_bytes())
    assert not feed.bozo
    links = [e.link for e in feed.entries]
    assert len(links) == 5 and sum("/kim-a/" in link for link in links) == 3
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.entries[0].link == "https://kim.example.go.id/kim-a/2026/11/alpha-0/"  # links to the KIM site


def test_coverage_counts_match_the_region_table(hub: Path) -> None:
    with REGIONS.open() as handle:
        rows = list(csv.DictReader(handle))
    villages = [r for r in rows if r["level"] == "village"]
    temon = [r for r in villages if r["code"].startswith("34.01.01.")]
    page = soup(hub / "cakupan" / "index.html")
    assert page.select_one("p.big").get_text().startswith(f"4 dari {len(villages)} kelurahan/desa")
    share = f"{4 / len(villages) * 100:.1f}".replace(".", ",")  # Indonesian: a decimal comma, as babel writes it
    assert page.select_one("p.big").get_text().endswith(f"({share}%).")
    temon_heading = next(h.get_text() for h in page.find_all("h2") if "Temon" in h.get_text())
    assert f"2 dari {len(temon)}" in temon_heading
    text = page.get_text(" ")
    assert "Sindutan" in text and "Glagah," not in text.split("Kapanewon Temon")[1].split("Kapanewon")[0]


def test_clusters_and_sk_status_from_crafted_profiles(hub: Path) -> None:
    with (hub / "dasbor" / "aktivitas.csv").open() as handle:
        rows = {r["slug"]: r for r in csv.DictReader(handle)}
    assert {slug: int(r["cluster"]) for slug, r in rows.items()} == {"kim-a": 1, "kim-b": 2, "kim-c": 3, "kim-d": 4}
    assert rows["kim-c"]["sk_status"] == "expiring" and rows["kim-b"]["sk_status"] == "expired"
    assert rows["kim-d"]["sk_status"] == "missing"
    assert rows["kim-a"]["posts_2026_11"] == "10" and rows["kim-b"]["posts_2026_10"] == "1"
    data = json.loads((hub / "dasbor" / "aktivitas.json").read_text())
    assert data["build_date"] == "2026-11-22" and len(data["kims"]) == 4
    dashboard = soup(hub / "dasbor" / "index.html")
    assert len(dashboard.select("svg.chart")) == 4 and dashboard.find("script") is None
    inactive = [a.get_text() for a in dashboard.select("main ul.list a")]
    assert sorted(inactive) == ["KIM kim-c", "KIM kim-d"]  # no post in 90 days


def test_opml_subscribes_each_kim_district_and_the_regency_once(hub: Path) -> None:
    root = ElementTree.parse(hub / "opml.xml").getroot()
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    base = "https://kim.example.go.id/"
    for slug in ("kim-a", "kim-b", "kim-c", "kim-d"):  # one subscription per KIM, whatever the format
        assert [u for u in urls if u.startswith(f"{base}{slug}/")] == [f"{base}{slug}/atom.xml"]
    districts = [d.name for d in (hub / "wilayah").iterdir() if d.is_dir()]
    assert sorted(u for u in urls if "/wilayah/" in u) == sorted(f"{base}wilayah/{d}/atom.xml" for d in districts)
    top = root.findall("./body/outline")
    assert top[0].get("xmlUrl") == base + "atom.xml"  # the regency's own feed
    groups = {g.get("text"): [o.get("xmlUrl") for o in g] for g in top[1:]}
    assert groups["Kapanewon Temon"][0] == base + "wilayah/temon/atom.xml"  # the district's feed first
    assert set(groups["Kapanewon Temon"][1:]) == {base + "kim-a/atom.xml", base + "kim-b/atom.xml"}
    assert len(urls) == len(set(urls)) == 1 + len(districts) + 4
    for url in urls:  # every subscription is a feed that parses and has entries or is a KIM without posts
        feed = feedparser.parse((hub / url.removeprefix(base)).read_bytes())
        assert not feed.bozo and feed.version == "atom10", url


def test_directory_and_district_pages(hub: Path) -> None:
    directory = soup(hub / "direktori" / "index.html")
    headings = [h.get_text() for h in directory.select("main h2")]
    assert headings == ["Kapanewon Temon", "Kapanewon Wates", "Kapanewon Lendah"]
    temon = hub / "wilayah" / "temon"
    titles = [a.get_text() for a in soup(temon / "index.html").select("article.card .meta a")]
    assert set(titles) == {"KIM kim-a", "KIM kim-b"}
    feed = feedparser.parse((temon / "rss.xml").read_bytes())
    assert {e.link.split("/")[3] for e in feed.entries} == {"kim-a", "kim-b"}


def test_weekly_digest_fits_a_phone_screen_with_short_links(hub: Path) -> None:
    text = (hub / "kabar-pekan-ini" / "kabupaten.txt").read_text()
    lines = text.strip().splitlines()
    assert lines[0] == "*Kabar KIM Kabupaten Kulon Progo*"
    assert len(lines) <= 24
    short = next(line.strip() for line in lines if "/s/" in line)
    redirect = soup(hub / short.split("kim.example.go.id/", 1)[1] / "index.html")
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"].startswith("0; url=https://")
    # the seven days through yesterday (15-21 November), so a same-day post rewrites no digest
    assert lines[1] == "Kabar pekan ini, 15 Nov 2026 – 21 Nov 2026"
    assert sum(line.startswith("• ") for line in lines) == 7
    assert (hub / "kabar-pekan-ini" / "temon.txt").is_file()


def test_each_kim_links_back_to_the_hub(hub: Path) -> None:
    page = soup(hub / "kim-a" / "index.html")
    assert page.find("a", href="https://kim.example.go.id/")


def test_monthly_archive_is_paginated_in_date_order(hub: Path) -> None:
    month = hub / "arsip" / "2026" / "11"
    front = [a.get_text() for a in soup(month / "index.html").select("article.card h2 a")]
    assert front == [f"alpha {n}" for n in range(5)]  # no per-KIM cap in an archive: plain date order
    pages = numbered_pages(month)
    titles = [a.get_text() for page in reversed(pages) for a in soup(page).select("article.card h2 a")]
    assert titles == [f"alpha {n}" for n in range(10)]
    first = soup(hub / "arsip" / "index.html").select_one("main li")  # the months, newest first, no counts:
    assert first.a["href"].endswith("/arsip/2026/11/") and first.get_text().strip() == "November 2026"  # yearly


def test_a_post_published_today_rewrites_neither_the_dashboard_nor_the_directory(tmp_path: Path) -> None:
    """Their figures run through yesterday (a daily refresh): a same-day post changes the news
    lists and feeds at once, and the dashboard, its data files, the directory, the weekly digest
    and the month archive the next day."""
    config = write_regency(tmp_path, {"kim-a": good_posts(2), "kim-b": good_posts(1)})
    assert run_kimsite("build", "--config", str(config), "--build-date", BUILD_DATE).returncode == 0
    output = tmp_path / "output"
    watched = ["dasbor/index.html", "dasbor/aktivitas.csv", "dasbor/aktivitas.json", "direktori/index.html",
               "kabar-pekan-ini/index.html", "kabar-pekan-ini/kabupaten.txt"]
    watched += sorted(p.relative_to(output).as_posix() for p in (output / "arsip").rglob("*") if p.is_file())
    before = {rel: (output / rel).read_bytes() for rel in watched}
    (tmp_path / "content" / "kim-b" / "posts" / "2026-11-22-hari-ini.md").write_text(
        "---\ntitle: Kabar Hari Ini\ndate: 2026-11-22 07:00\ncategory: berita\n---\n\nIsi.\n")
    assert run_kimsite("build", "--config", str(config), "--build-date", f"{BUILD_DATE}T12:00").returncode == 0
    assert {rel: (output / rel).read_bytes() for rel in watched} == before
    assert not (output / "arsip" / "2026").exists()  # no month page for it yet, either
    assert "Kabar Hari Ini" in (output / "index.html").read_text()
    assert json.loads(before["dasbor/aktivitas.json"])["data_through"] == "2026-11-21"
    assert run_kimsite("build", "--config", str(config), "--build-date", "2026-11-23").returncode == 0
    rows = {row["slug"]: row for row in json.loads((output / "dasbor" / "aktivitas.json").read_text())["kims"]}
    assert rows["kim-b"]["last_post"] == "2026-11-22" and rows["kim-b"]["posts_total"] == 2  # the next day
    directory = BeautifulSoup((output / "direktori" / "index.html").read_text(), "html.parser")
    assert "2026-11-22" in {t["datetime"][:10] for t in directory.select("li time")}
    assert "Kabar Hari Ini" in (output / "arsip" / "2026" / "11" / "index.html").read_text()
    assert "Kabar Hari Ini" in (output / "kabar-pekan-ini" / "kabupaten.txt").read_text()
