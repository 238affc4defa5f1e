"""Debian's newsboat, a real feed reader, subscribes to the hub's OPML and reloads every feed
from the sample served on 127.0.0.1, with a private home, configuration and cache."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import feedparser
import pytest

from tests.conftest import ROOT

NEWSBOAT = shutil.which("newsboat")
if NEWSBOAT is None and not os.environ.get("KIMSITE_REQUIRE_SERVERS"):  # CI sets it: there it must run
    pytest.skip("Debian's newsboat is not installed (apt-get install newsboat)", allow_module_level=True)


def _newsboat(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "LANG": "C.UTF-8", "TERM": "dumb"}
    files = ["-u", str(home / "urls"), "-c", str(home / "cache.db"), "-C", str(home / "config.txt")]
    result = subprocess.run([str(NEWSBOAT), *files, *args], env=env, capture_output=True, text=True,
                            timeout=120, check=False, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_newsboat_subscribes_once_to_each_kim_district_and_the_regency_and_finds_items_in_each(
        served_sample: tuple[str, Path], tmp_path: Path) -> None:
    from kimsite.read.config import load_config

    base, output = served_sample
    config = load_config(ROOT / "sites.yaml")
    (tmp_path / "urls").touch()
    (tmp_path / "config.txt").write_text(f'error-log "{tmp_path / "errors.txt"}"\n', encoding="utf-8")
    _newsboat(tmp_path, "-i", str(output / "opml.xml"))
    _newsboat(tmp_path, "-x", "reload", "-l", "3", "-d", str(tmp_path / "log.txt"))  # 3: errors and worse
    errors = [(tmp_path / name).read_text(encoding="utf-8") for name in ("errors.txt", "log.txt")]
    assert errors == ["", ""], errors
    with sqlite3.connect(tmp_path / "cache.db") as cache:
        subscribed = sorted(url for (url,) in cache.execute("SELECT rssurl FROM rss_feed"))
        items = dict(cache.execute("SELECT feedurl, count(*) FROM rss_item GROUP BY feedurl").fetchall())
    kims = sorted(f"{base}{kim.slug}/atom.xml" for kim in config.kims)
    districts = [url for url in subscribed if url.startswith(base + "wilayah/")]
    assert sorted(set(subscribed) - set(districts)) == sorted([*kims, base + "atom.xml"])  # each once
    assert len(subscribed) == len(kims) + len(districts) + 1
    imported = [line.split()[0] for line in (tmp_path / "urls").read_text(encoding="utf-8").splitlines() if line]
    assert sorted(imported) == subscribed  # what the OPML gave, each URL once
    assert len(districts) == len({kim.district for kim in config.kims})
    assert {url: items.get(url, 0) for url in subscribed if not items.get(url)} == {}  # no feed empty
    # every entry of every feed, none filed under another feed (newsboat keys items by id across
    # feeds); its cache keeps only audio and video enclosures (podcasts): the photos are checked
    # with feedparser in tests/test_feeds.py
    served = {url: len(feedparser.parse((output / url.removeprefix(base)).read_bytes()).entries) for url in subscribed}
    assert items == served
