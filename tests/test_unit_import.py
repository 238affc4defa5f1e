"""Pure parts of the import and of the fetcher: old paths, HTML cleaning, photo types, refused addresses."""

from __future__ import annotations

import pytest

from kimsite.importer.convert import clean_html, to_markdown
from kimsite.importer.photos import image_type
from kimsite.read import remote
from kimsite.site.redirects import old_path, old_query, plan_redirects


@pytest.mark.parametrize(("url", "expected"), [
    ("https://blog.id/2021/04/12/panen/", "2021/04/12/panen/index.html"),
    ("https://x.blogspot.com/2022/03/posyandu.html", "2022/03/posyandu.html"),
    ("/p/tentang-kami.html", "p/tentang-kami.html"),
    ("https://blog.id/", None), ("https://blog.id/?p=12", None), ("https://blog.id/../../etc/", None),
    ("https://blog.id/a b/", None), ("https://blog.id/%2e%2e/x/", None), ("https://blog.id/a%2Fb%00/", None),
    ("https://blog.id/2021/05/caf%C3%A9/", "2021/05/café/index.html"),
])
def test_an_old_address_becomes_a_file_inside_the_site_or_nothing(url: str, expected: str | None) -> None:
    assert old_path(url) == expected


def test_wordpress_query_links_are_rules_not_files() -> None:
    assert old_query("https://blog.id/?p=123") == ("p", "123")
    assert old_query("https://blog.id/index.php?page_id=45") == ("page_id", "45")
    assert old_query("https://blog.id/?p=abc") is None and old_query("https://blog.id/x/?p=1") is None
    found = plan_redirects([(("https://b.id/?p=1", "https://b.id/2021/04/a/"), "https://new/2021/04/a/", "A")],
                           taken={"2021/04/a/index.html"})
    assert found.queries == {("p", "1"): "https://new/2021/04/a/"} and found.pages == {}


def test_wordpress_markup_goes_and_the_content_stays() -> None:
    html = ('<!-- wp:paragraph --><p style="color:red" onclick="x()">Teks <b>tebal</b></p><!-- /wp:paragraph -->'
            '[caption id="a" width="300"]<img src="https://b.id/f.jpg" alt="Foto"> Keterangan[/caption]'
            '[gallery ids="1,2"]<script>alert(1)</script><iframe src="https://evil.example/"></iframe>')
    clean = clean_html(html)
    assert "wp:" not in clean and "style" not in clean and "onclick" not in clean and "script" not in clean
    assert "[gallery" not in clean and "evil" not in clean
    text = to_markdown(clean, lambda src: "f-1.jpg" if src == "https://b.id/f.jpg" else None)
    assert text == "Teks **tebal**\n\n![Foto](f-1.jpg)\n\n*Keterangan*\n"
    assert to_markdown(clean, lambda src: None).count("![") == 0  # a photo not downloaded leaves its words


def test_only_photos_count_as_photos() -> None:
    assert image_type(b"\xff\xd8\xff\xe0....") == "jpg" and image_type(b"\x89PNG\r\n\x1a\n...") == "png"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp" and image_type(b"GIF89a") == "gif"
    assert image_type(b"<html>not a photo</html>") is None


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.1.2.3/x", "http://169.254.169.254/latest/",
                                 "http://[::1]/", "http://192.168.1.1/", "http://localhost/", "ftp://b.id/x"])
def test_private_and_local_addresses_are_refused_before_connecting(url: str) -> None:
    with pytest.raises(remote.FetchError) as refused:
        remote.fetch(url, remote.FetchPolicy(timeout=1))
    assert "ditolak" in refused.value.reason.id or "hanya alamat http" in refused.value.reason.id
