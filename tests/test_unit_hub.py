"""Unit tests of the hub's pure parts: capped pages, pages numbered from the oldest, render keys."""

from __future__ import annotations

import base64
import hashlib
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from kimsite.hub.data import HubPost, capped_pages, stable_pages
from kimsite.hub.pages import render_key
from kimsite.models import Kim

START = datetime(2026, 1, 1, 8, 0)


def kim(slug: str) -> Kim:
    return Kim(slug, f"KIM {slug}", "34.01.01.2001", f"https://kim.example.go.id/{slug}/", "id", False,
               "Glagah", "Temon", "Kalurahan", "34.01.01")


def newest_first(count: int, seed: int = 7) -> list[HubPost]:
    chooser, kims = random.Random(seed), [kim(f"kim-{n}") for n in range(6)]
    found = [HubPost(chooser.choice(kims), f"berita {n}", f"https://x/{n}/", START + timedelta(hours=n), "", "",
                     ("berita", "Berita"), None, f"{n}/") for n in range(count)]
    return found[::-1]


def reference_pages(posts: list[HubPost], per_page: int, cap: int) -> list[list[HubPost]]:
    """The plain quadratic statement of the rule: each page takes the earliest waiting posts,
    at most `cap` of one KIM, the others wait."""
    pages, waiting = [], list(posts)
    while waiting:
        page, taken, rest = [], Counter(), []
        for post in waiting:
            if len(page) < per_page and taken[post.kim.slug] < cap:
                page.append(post)
                taken[post.kim.slug] += 1
            else:
                rest.append(post)
        pages.append(page)
        waiting = rest
    return pages


def test_capped_pages_follow_the_rule_and_keep_every_post() -> None:
    posts = newest_first(300)
    for per_page, cap in [(20, 3), (7, 1), (10, 10), (5, 2)]:
        pages = capped_pages(posts, per_page, cap)
        assert pages == reference_pages(posts, per_page, cap)
        assert sorted(p.url for page in pages for p in page) == sorted(p.url for p in posts)
        assert all(max(Counter(p.kim.slug for p in page).values()) <= cap for page in pages)
        assert capped_pages(posts, per_page, cap, limit=1) == pages[:1]  # the front page's short cut
        assert capped_pages(posts, per_page, cap, limit=3) == pages[:3]
    assert capped_pages([], 20, 3, limit=1) == []


def test_a_new_post_changes_only_the_newest_numbered_pages() -> None:
    before = newest_first(400)
    after = newest_first(401)  # the same posts and one newer
    old, new = stable_pages(before, 20, 3), stable_pages(after, 20, 3)
    unchanged = sum(1 for a, b in zip(old, new, strict=False) if a == b)
    assert unchanged >= len(old) - 2  # the oldest pages stay byte for byte the same data
    assert all(page == sorted(page, key=lambda p: p.date, reverse=True) for page in new)  # each newest first
    assert old[0][-1].title == "berita 0"  # page 1 holds the oldest post


def test_render_key_changes_with_the_context_only() -> None:
    posts = newest_first(3)
    same = render_key("list.html", {"posts": posts, "pager": {"number": 2}})
    assert same == render_key("list.html", {"posts": list(posts), "pager": {"number": 2}})
    assert same != render_key("list.html", {"posts": posts[:2], "pager": {"number": 2}})
    assert same != render_key("redirect.html", {"posts": posts, "pager": {"number": 2}})
    assert render_key("list.html", {"write": lambda: None}) == ""  # cannot be pickled: always rendered


def test_short_codes_never_collide_over_100000_posts() -> None:
    from collections import namedtuple

    from kimsite.hub.digest import SHORT, short_codes

    stub = namedtuple("stub", "date url")
    start = datetime(2020, 1, 1, tzinfo=UTC)
    posts = [stub(start + timedelta(minutes=n), f"https://kim.example.go.id/kim-{n % 150}/2026/11/berita-{n}/")
             for n in range(100_000)]
    codes = short_codes(posts)
    assert len(codes) == 100_000 and len(set(codes.values())) == 100_000
    longer = [url for url, code in codes.items() if len(code) > SHORT]
    assert longer  # 30 bits over 100,000 posts: clashes happen, and were extended
    # the older post of a clash keeps its 6 characters; only the newer one is extended
    by_url = {p.url: p for p in posts}
    for url in longer:
        holder = next(u for u, c in codes.items() if c == codes[url][:SHORT])
        assert by_url[holder].date < by_url[url].date
    # a code stays when newer posts arrive
    more = posts + [stub(start + timedelta(days=400, minutes=n), f"https://kim.example.go.id/baru/{n}/")
                    for n in range(5_000)]
    again = short_codes(more)
    assert all(again[url] == code for url, code in codes.items())
    # each code is the start of the base32 of its URL's whole SHA-256, though only 5 bytes are encoded
    assert all(base64.b32encode(hashlib.sha256(url.encode()).digest()).decode().lower().startswith(code)
               for url, code in codes.items())


def test_a_short_code_past_8_letters_comes_from_the_whole_hash() -> None:
    from kimsite.hub import digest

    url = "https://kim.example.go.id/kim-1/2026/11/berita/"
    full = digest._code_of(url)
    assert len(full) > 50 and digest._code_of(url, 5) == full[:8]
    taken = {full[:n] for n in range(digest.SHORT, 9)}
    assert digest._free(full[:8], taken) is None  # all 8-letter prefixes taken: short_codes reads on
    assert digest._free(full, taken) == full[:9]


def test_two_districts_of_one_name_get_apart_slugs() -> None:
    from pathlib import Path

    from kimsite.hub.data import districts
    from kimsite.models import Regency, SiteConfig

    def kim(slug: str, code: str) -> Kim:
        return Kim(slug=slug, name=slug, village_code=code, url=f"https://x/{slug}/", language="id", own_domain=False,
                   village="Desa", district="Sukamaju", village_title="Desa", district_code=code.rsplit(".", 1)[0])

    regency = Regency("Kab", "32.01", "https://x/", "WIB", "id", "Kecamatan", None)
    config = SiteConfig(Path("s.yaml"), Path("."), Path("c"), Path("t"), Path("o"), None, regency,
                        (kim("a", "32.01.01.2001"), kim("b", "32.01.02.2001")))
    assert [d.slug for d in districts(config)] == ["sukamaju", "sukamaju-02"]
