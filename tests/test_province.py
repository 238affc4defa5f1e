"""Province level: several regencies, one hub each, and a province hub whose totals add up."""

from __future__ import annotations

import csv
from pathlib import Path
from xml.etree import ElementTree

import feedparser

from tests import invariants
from tests.conftest import BUILD_DATE, ROOT, run_kimsite
from tests.invariants import soup

TABLE = ROOT / "tests" / "fixtures" / "wilayah-34-diy.csv"

REGENCY = """regency:
  name: {name}
  code: "{code}"
  base_url: https://ignored.example/
  timezone: WIB
regions: {table}
theme: {theme}
kims:
{kims}
"""


def _regency(root: Path, folder: str, name: str, code: str, villages: list[str]) -> None:
    kims = ""
    for n, village in enumerate(villages):
        slug = f"kim-{folder}-{n}"
        kims += f"  - slug: {slug}\n    name: KIM {slug}\n    village_code: \"{village}\"\n"
        posts = root / folder / "content" / slug / "posts"
        posts.mkdir(parents=True)
        (posts.parent / "profile.yaml").write_text(f"name: KIM {slug}\n")
        (posts / "2026-11-0{0}-kabar-{0}.md".format(n + 1)).write_text(
            f"---\ntitle: Kabar {slug}\ncategory: berita\n---\n\nIsi.\n")
    (root / folder / "sites.yaml").write_text(REGENCY.format(
        name=name, code=code, table=TABLE, theme=ROOT / "themes" / "kim", kims=kims))


def test_province_hub_totals_equal_the_sum_of_regencies(tmp_path: Path) -> None:
    _regency(tmp_path, "kulon-progo", "Kabupaten Kulon Progo", "34.01", ["34.01.01.2004", "34.01.02.1008"])
    _regency(tmp_path, "sleman", "Kabupaten Sleman", "34.04", ["34.04.01.2001", "34.04.02.2001", "34.04.03.2001"])
    (tmp_path / "provinsi.yaml").write_text(
        "province:\n  name: Daerah Istimewa Yogyakarta\n  code: \"34\"\n  base_url: https://kim.jogjaprov.example/\n"
        "regencies:\n  - slug: kulon-progo\n    config: kulon-progo/sites.yaml\n"
        "  - slug: sleman\n    config: sleman/sites.yaml\n")
    result = run_kimsite("build", "--config", str(tmp_path / "provinsi.yaml"), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    assert invariants.check_all(output) == []
    with TABLE.open() as handle:
        villages = [r["code"] for r in csv.DictReader(handle) if r["level"] == "village"]
    per_regency = {code: sum(v.startswith(code + ".") for v in villages) for code in ("34.01", "34.04")}
    page = soup(output / "index.html")
    rows = page.select("tbody tr")
    assert [r.find("a")["href"] for r in rows] == ["https://kim.jogjaprov.example/kulon-progo/",
                                                   "https://kim.jogjaprov.example/sleman/"]
    assert rows[0].find_all("td")[2].get_text() == f"2 dari {per_regency['34.01']}"
    assert rows[1].find_all("td")[2].get_text() == f"3 dari {per_regency['34.04']}"
    total = page.select_one("tfoot tr").find_all("td")
    assert total[0].get_text() == "5" and total[1].get_text() == f"5 dari {sum(per_regency.values())}"
    # each regency hub has its own coverage page and its KIMs under the province domain
    sleman = soup(output / "sleman" / "cakupan" / "index.html")
    assert sleman.select_one("p.big").get_text().startswith(f"3 dari {per_regency['34.04']}")
    assert (output / "sleman" / "kim-sleman-0" / "index.html").is_file()
    feed = feedparser.parse((output / "atom.xml").read_bytes())
    assert len(feed.entries) == 5
    # OPML: the province's feed, then per regency its hub's feed and each KIM's, once each
    root = ElementTree.parse(output / "opml.xml").getroot()
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    base = "https://kim.jogjaprov.example/"
    kims = [f"{base}{r}/kim-{r}-{n}/atom.xml" for r, count in (("kulon-progo", 2), ("sleman", 3)) for n in range(count)]
    assert urls == [base + "atom.xml", base + "kulon-progo/atom.xml", *kims[:2], base + "sleman/atom.xml", *kims[2:]]
    for name in ("404.html", "sleman/404.html", "sleman/kim-sleman-0/404.html"):  # every level has its 404 page
        assert soup(output / name).find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_a_regency_outside_the_province_is_a_config_error(tmp_path: Path) -> None:
    _regency(tmp_path, "kulon-progo", "Kabupaten Kulon Progo", "34.01", ["34.01.01.2004"])
    (tmp_path / "provinsi.yaml").write_text(
        "province:\n  name: Kalimantan Barat\n  code: \"61\"\n  base_url: https://kim.kalbar.example/\n"
        "regencies:\n  - slug: kulon-progo\n    config: kulon-progo/sites.yaml\n")
    result = run_kimsite("build", "--config", str(tmp_path / "provinsi.yaml"))
    assert result.returncode == 2
    assert "provinsi.yaml:7 [config]" in result.stderr and "bukan bagian provinsi 61" in result.stderr
    assert not (tmp_path / "output").exists()
