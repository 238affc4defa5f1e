"""The writing pages `<kim>/admin/` (Decap CMS), built for real: the config follows kimsite's
own definitions, and a file written through any of its collections passes `kimsite check`
with no error and no warning (so the forms and the schema cannot drift apart)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from kimsite.models import CMS_BUNDLE_DIR, DECAP_VERSION, DEFAULT_CATEGORIES, DEFAULT_PRODUCT_CATEGORIES, VERDICTS
from tests.cmsfixture import NPM, cms_regency, write_entry
from tests.conftest import BUILD_DATE, run_kimsite

COLLECTIONS = ["berita", "cek-fakta", "produk", "agenda", "halaman", "aspirasi"]
SUMMARY = re.compile(r"(\d+) galat/errors, (\d+) peringatan/warnings")
# skipped without `make cms` locally; CI (KIMSITE_REQUIRE_SERVERS=1) must run it
needs_npm = pytest.mark.skipif(not (NPM / "node_modules" / "decap-cms").is_dir()
                               and not os.environ.get("KIMSITE_REQUIRE_SERVERS"), reason="make cms not run")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("cms")
    config = cms_regency(tmp, "  editorial_workflow: true\n")
    output = tmp / "output"
    result = run_kimsite("build", "--config", str(config), "--output", str(output), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    return config, output


def _config(output: Path, kim: str = "kim-alpha") -> dict:
    return json.loads((output / kim / "admin" / "config.yml").read_text(encoding="utf-8"))


def _collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def _options(collection: dict, field: str) -> list[str]:
    options = next(f for f in collection["fields"] if f["name"] == field)["options"]
    return [o["value"] if isinstance(o, dict) else o for o in options]


def test_every_kim_gets_a_writing_page_scoped_to_its_own_folder(built: tuple[Path, Path]) -> None:
    _config_path, output = built
    for kim in ("kim-alpha", "kim-beta"):
        config = _config(output, kim)
        folders = [c.get("folder") or c["files"][0]["file"] for c in config["collections"]]
        assert [c["name"] for c in config["collections"]] == COLLECTIONS
        assert all(f.startswith(f"content/{kim}/") for f in folders), folders
        assert config["backend"] == {"name": "github", "repo": "diskominfo-contoh/kim", "branch": "main",
                                     "base_url": "https://oauth.example.go.id"}
        assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "id"


def test_choices_and_required_fields_come_from_the_build_s_definitions(built: tuple[Path, Path]) -> None:
    config = _config(built[1])
    news, fact, product = (_collection(config, n) for n in ("berita", "cek-fakta", "produk"))
    assert _options(news, "category") == [c.slug for c in DEFAULT_CATEGORIES if c.slug != "cek-fakta"]
    assert _options(fact, "verdict") == list(VERDICTS)
    assert _options(product, "category") == [c.slug for c in DEFAULT_PRODUCT_CATEGORIES]
    required = {f["name"] for f in news["fields"] if f["required"]}
    assert required == {"title", "date", "category", "body"}
    assert {f["name"] for f in product["fields"] if f["required"]} >= {"name", "category", "price", "seller",
                                                                        "whatsapp"}
    date_field = next(f for f in news["fields"] if f["name"] == "date")
    assert date_field["label"].endswith("(WIB)") and date_field["format"] == "YYYY-MM-DD HH:mm"
    # the file is dated by the post's own date, in the writer's time (Decap's {{year}}... are UTC)
    assert news["slug"] == "{{fields.date | date('YYYY-MM-DD')}}-{{slug}}" and news["media_folder"] == ""


def test_forms_know_exactly_the_keys_of_the_schemas_the_build_validates_with(built: tuple[Path, Path]) -> None:
    from kimsite.read.extras import AspirationSchema, EventSchema, PageSchema, ProductSchema
    from kimsite.read.postschema import PostSchema

    config = _config(built[1])
    schemas = {"berita": PostSchema, "cek-fakta": PostSchema, "produk": ProductSchema, "agenda": EventSchema,
               "halaman": PageSchema}
    for name, model in schemas.items():
        fields = {f["name"]: f for f in _collection(config, name)["fields"] if f["name"] != "body"}
        schema = model.model_json_schema()
        assert set(fields) <= set(schema["properties"]), (name, set(fields) - set(schema["properties"]))
        assert {k for k in schema.get("required", []) if not fields[k]["required"]} == set(), name
    entry = _collection(config, "aspirasi")["files"][0]["fields"][0]["fields"]
    schema = AspirationSchema.model_json_schema()
    assert {f["name"] for f in entry} == set(schema["properties"])
    assert {f["name"] for f in entry if f["required"]} == set(schema["required"])


@needs_npm
def test_the_page_is_for_writers_only(built: tuple[Path, Path]) -> None:
    _config_path, output = built
    page = BeautifulSoup((output / "kim-alpha" / "admin" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    script = page.find("script", src=True)["src"]
    assert script == f"https://kim.example.go.id/{CMS_BUNDLE_DIR}/decap-cms.js"
    bundle = output / CMS_BUNDLE_DIR / "decap-cms.js"
    assert bundle.is_file() and f"decap-cms-{DECAP_VERSION}" in script
    assert (output / "kim-beta" / "admin" / "index.html").is_file()  # a KIM on its own domain: from the hub's host
    readers = [p for p in output.rglob("*.html") if "admin" not in p.relative_to(output).parts]
    assert readers and not [p for p in readers if "decap" in p.read_text(encoding="utf-8") or
                            "admin/" in p.read_text(encoding="utf-8")]
    listed = "".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in output.rglob("*") if p.suffix in {".xml", ".json", ".txt", ".csv"} and p.is_file()
                     and "pagefind" not in p.parts and "tema" not in p.parts and not p.name.startswith("."))
    assert "/admin/" not in listed  # sitemaps, feeds, robots
    assert not any("admin" in line for line in (built[0].parent / "reports" / "budgets.csv").read_text().splitlines())
    preview = re.search(r'registerPreviewStyle\("([^"]+)"\)', str(page)).group(1)  # the theme's own CSS
    assert preview.startswith("https://kim.example.go.id/kim-alpha/tema/css/kim.")
    assert (output / preview.removeprefix("https://kim.example.go.id/")).is_file()
    records = [gzip.decompress(p.read_bytes()) for p in (output / "pagefind" / "fragment").glob("*.pf_fragment")]
    assert records and not [r for r in records if b"/admin/" in r or b"Tulis" in r]  # the regency's search index


def test_two_builds_write_the_same_admin_bytes(built: tuple[Path, Path], tmp_path: Path) -> None:
    config, output = built
    again = tmp_path / "again"
    result = run_kimsite("build", "--config", str(config), "--output", str(again), "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    for name in ("index.html", "config.yml", "index.html.gz"):
        assert (again / "kim-alpha/admin" / name).read_bytes() == (output / "kim-alpha/admin" / name).read_bytes()


@pytest.mark.parametrize("required_only", [False, True], ids=["all-fields", "required-only"])
@pytest.mark.parametrize("name", COLLECTIONS)
def test_a_file_written_through_each_collection_passes_check(built: tuple[Path, Path], tmp_path: Path,
                                                           name: str, required_only: bool) -> None:
    config_path, output = built
    regency = cms_regency(tmp_path).parent
    kim = regency / "content" / "kim-alpha"
    for folder in ("posts", "products", "agenda", "pages"):  # only what the CMS writes
        shutil.rmtree(kim / folder, ignore_errors=True)
    (kim / "aspirasi.yaml").unlink()
    written = write_entry(_collection(_config(output), name), date(2026, 11, 20), regency, required_only)
    assert written.is_relative_to(kim)
    result = run_kimsite("check", "--config", str(regency / "sites.yaml"), "--build-date", BUILD_DATE)
    counts = SUMMARY.search(result.stdout + result.stderr)
    assert result.returncode == 0 and counts and counts.groups() == ("0", "0"), (
        written.read_text(encoding="utf-8") + result.stdout + result.stderr)


def test_a_missing_cms_script_is_a_warning_that_says_how_to_install_it(tmp_path: Path) -> None:
    config = cms_regency(tmp_path, npm=tmp_path / "nowhere")
    result = run_kimsite("build", "--config", str(config), "--output", str(tmp_path / "out"),
                         "--build-date", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert "make cms" in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "kim-alpha" / "admin" / "index.html").is_file()
    assert not (tmp_path / "out" / "tema" / "cms").exists()


def test_a_cdn_script_is_loaded_from_the_cdn(tmp_path: Path) -> None:
    cdn = f"https://unpkg.com/decap-cms@{DECAP_VERSION}/dist/decap-cms.js"
    config = cms_regency(tmp_path, f"  script_url: {cdn}\n")
    result = run_kimsite("build", "--config", str(config), "--output", str(tmp_path / "out"),
                         "--build-date", BUILD_DATE)
    assert result.returncode == 0 and "make cms" not in result.stdout + result.stderr, result.stderr
    page = (tmp_path / "out" / "kim-alpha" / "admin" / "index.html").read_text(encoding="utf-8")
    assert BeautifulSoup(page, "html.parser").find("script", src=True)["src"] == cdn
    assert not (tmp_path / "out" / "tema" / "cms").exists()


def _cms_only(tmp_path: Path, cms: str) -> Path:
    config = cms_regency(tmp_path)
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("cms:\n")] + cms, encoding="utf-8")
    return config


def test_gitlab_logs_in_with_pkce_and_gitea_with_its_host(tmp_path: Path) -> None:
    hosts = {"gitlab": "cms:\n  backend: gitlab\n  repo: kp/kim\n  app_id: abc123\n",
             "gitea": "cms:\n  backend: gitea\n  repo: kp/kim\n  app_id: abc123\n  base_url: https://git.kp.go.id\n"
                      "  api_root: https://git.kp.go.id/api/v1\n"}
    for name, cms in hosts.items():
        config = _cms_only(tmp_path / name, cms)
        result = run_kimsite("build", "--config", str(config), "--output", str(tmp_path / name / "out"),
                             "--build-date", BUILD_DATE)
        assert result.returncode == 0, result.stderr
        backend = _config(tmp_path / name / "out")["backend"]
        assert backend["name"] == name and backend["app_id"] == "abc123" and "secret" not in json.dumps(backend)
        assert (backend.get("auth_type") == "pkce") is (name == "gitlab")
        assert name == "gitlab" or backend["api_root"] == "https://git.kp.go.id/api/v1"


def test_a_gitea_backend_without_its_host_stops_the_build_with_the_line(tmp_path: Path) -> None:
    config = _cms_only(tmp_path, "cms:\n  backend: gitea\n  repo: kp/kim\n")
    result = run_kimsite("build", "--config", str(config), "--output", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "sites.yaml:" in result.stderr and "base_url, app_id" in result.stderr
    assert "panduan-admin-cms" in result.stderr
