"""Unit tests of kimsite.read.config.load_config on sites.yaml files written into tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kimsite.errors import ConfigError, Problem
from kimsite.models import DEFAULT_CATEGORIES, SiteConfig
from kimsite.read.config import load_config, with_base_url

ROOT = Path(__file__).resolve().parent.parent
THEME = ROOT / "themes" / "kim"
REGIONS = ROOT / "data" / "wilayah-3401-kulon-progo.csv"


def write_config(tmp_path: Path, body: str, profiles: tuple[str, ...] = ()) -> Path:
    """sites.yaml with `body` (dedented), and content/<slug>/profile.yaml for each of `profiles`."""
    for slug in profiles:
        folder = tmp_path / "content" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "profile.yaml").write_text(f"name: {slug}\n", encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    path = tmp_path / "sites.yaml"
    path.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


def kulon_progo(kims: str, extra: str = "") -> str:
    return f"""
regency:
  name: Kabupaten Kulon Progo
  code: "34.01"
  base_url: https://kim.example.go.id
  timezone: WIB
theme: {THEME}
{extra}kims:
{kims}"""


TWO_KIMS = """\
  - slug: kim-glagah
    name: KIM Glagah
    village_code: "34.01.01.2004"
  - slug: kim-wates
    name: KIM Wates
    village_code: "34.01.02.1008"
    url: https://kimwates.example
    language: en
"""


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def by_key(problems: list[Problem], key: str) -> Problem:
    found = [p for p in problems if p.key == key]
    assert len(found) == 1, [(p.key, p.message.en) for p in problems]
    return found[0]


@pytest.fixture
def config(tmp_path: Path) -> SiteConfig:
    path = write_config(tmp_path, kulon_progo(TWO_KIMS, f"regions: {REGIONS}\n"), ("kim-glagah", "kim-wates"))
    return load_config(path)


# --------------------------------------------------------------------------- a valid config

def test_base_url_gets_trailing_slash(config: SiteConfig) -> None:
    assert config.regency.base_url == "https://kim.example.go.id/"


def test_kim_url_is_under_base_url(config: SiteConfig) -> None:
    kim = config.kim("kim-glagah")
    assert kim.url == "https://kim.example.go.id/kim-glagah/"
    assert kim.own_domain is False


def test_own_domain_url_is_used_with_slash(config: SiteConfig) -> None:
    kim = config.kim("kim-wates")
    assert kim.url == "https://kimwates.example/"
    assert kim.own_domain is True


def test_language_defaults_to_regency_and_can_be_overridden(config: SiteConfig) -> None:
    assert config.regency.language == "id"
    assert config.kim("kim-glagah").language == "id"
    assert config.kim("kim-wates").language == "en"


def test_diy_regency_titles(config: SiteConfig) -> None:
    assert config.regency.district_title == "Kapanewon"
    assert config.kim("kim-glagah").village_title == "Kalurahan"


def test_kelurahan_code_gets_kelurahan_title(config: SiteConfig) -> None:
    assert config.kim("kim-wates").village_title == "Kelurahan"


def test_names_come_from_region_table(config: SiteConfig) -> None:
    kim = config.kim("kim-glagah")
    assert (kim.village, kim.district, kim.district_code) == ("Glagah", "Temon", "34.01.01")


def test_defaults_and_paths(config: SiteConfig, tmp_path: Path) -> None:
    assert config.categories == DEFAULT_CATEGORIES
    assert config.build.posts_per_page == 10
    assert config.content_dir == tmp_path.resolve() / "content"
    assert config.theme_dir == THEME
    assert config.region_table is not None and config.region_table.get("34.01.01.2004").name == "Glagah"


def test_east_java_regency_uses_kecamatan_and_desa(tmp_path: Path) -> None:
    body = f"""
regency:
  name: Kabupaten Malang
  code: "35.07"
  base_url: https://kim.malangkab.example/
  timezone: WIB
  language: en
theme: {THEME}
kims:
  - slug: kim-a
    name: KIM A
    village_code: "35.07.01.2001"
  - slug: kim-b
    name: KIM B
    village_code: "35.07.05.1007"
"""
    config = load_config(write_config(tmp_path, body, ("kim-a", "kim-b")))
    assert config.regency.district_title == "Kecamatan"
    assert config.kim("kim-a").village_title == "Desa"
    assert config.kim("kim-b").village_title == "Kelurahan"
    assert config.kim("kim-a").language == "en"
    assert config.kim("kim-a").url == "https://kim.malangkab.example/kim-a/"


def test_custom_categories(tmp_path: Path) -> None:
    extra = "categories:\n  - slug: tani\n    name: Tani\n"
    kims = '  - slug: kim-a\n    name: A\n    village_code: "34.01.01.2004"\n'
    config = load_config(write_config(tmp_path, kulon_progo(kims, extra), ("kim-a",)))
    assert [(c.slug, c.name) for c in config.categories] == [("tani", "Tani")]


# --------------------------------------------------------------------------- with_base_url

def test_with_base_url_moves_every_kim_under_preview(config: SiteConfig) -> None:
    preview = with_base_url(config, "http://localhost:8000")
    assert preview.regency.base_url == "http://localhost:8000/"
    assert [(k.url, k.own_domain) for k in preview.kims] == [
        ("http://localhost:8000/kim-glagah/", False), ("http://localhost:8000/kim-wates/", False)]
    assert config.kim("kim-wates").url == "https://kimwates.example/"  # the original is untouched


def test_with_base_url_can_keep_own_domains(config: SiteConfig) -> None:
    moved = with_base_url(config, "https://prov.example/kulon-progo/", keep_own_domains=True)
    assert moved.kim("kim-glagah").url == "https://prov.example/kulon-progo/kim-glagah/"
    assert moved.kim("kim-wates").url == "https://kimwates.example/"
    assert moved.kim("kim-wates").own_domain is True


# --------------------------------------------------------------------------- errors

def test_several_problems_reported_at_once(tmp_path: Path) -> None:
    body = f"""
regency:
  name: Kabupaten Kulon Progo
  code: "34.01"
  base_url: https://kim.example.go.id/
  timezone: WIBB
theme: {THEME}
webiste: x
kims:
  - slug: kim-a
    name: KIM A
    village_code: "34.01.01.20x4"
"""
    problems = problems_of(write_config(tmp_path, body, ("kim-a",)))
    assert len(problems) == 3
    timezone = by_key(problems, "regency.timezone")
    assert timezone.line == 5
    assert "WIB" in timezone.hint.en
    assert by_key(problems, "webiste").line == 7
    village = by_key(problems, "kims.0.village_code")
    assert village.line == 11
    assert all(p.is_error and p.path.endswith("sites.yaml") for p in problems)


def test_problems_are_in_line_order(tmp_path: Path) -> None:
    body = kulon_progo('  - slug: Kim_A\n    name: A\n    village_code: "34.01.01.2004"\n', "output: [1]\n")
    lines = [p.line for p in problems_of(write_config(tmp_path, body))]
    assert lines == sorted(lines) and len(lines) == 2


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    body = f"""
regency:
  name: Kabupaten Kulon Progo
  code: "34.01"
  bse_url: https://kim.example.go.id/
  timezone: WIB
theme: {THEME}
kims:
  - slug: kim-a
    name: KIM A
    village_code: "34.01.01.2004"
"""
    problems = problems_of(write_config(tmp_path, body, ("kim-a",)))
    unknown = by_key(problems, "regency.bse_url")
    assert unknown.line == 4
    assert "base_url" in unknown.hint.en and "did you mean" in unknown.hint.en
    assert "base_url" in unknown.hint.id and unknown.hint.id != unknown.hint.en
    assert "bse_url" in unknown.message.en and "bse_url" in unknown.message.id
    # the misspelling also leaves base_url missing
    assert "required" in by_key(problems, "regency.base_url").message.en


def test_unquoted_regency_code_is_rejected_with_quote_hint(tmp_path: Path) -> None:
    kims = '  - slug: kim-a\n    name: A\n    village_code: "34.01.01.2004"\n'
    body = kulon_progo(kims).replace('"34.01"\n', "34.10\n", 1)
    code = by_key(problems_of(write_config(tmp_path, body, ("kim-a",))), "regency.code")
    assert code.line == 3
    assert "quoted" in code.hint.en


def test_duplicate_slug(tmp_path: Path) -> None:
    kims = """\
  - slug: kim-a
    name: KIM A
    village_code: "34.01.01.2004"
  - slug: kim-a
    name: KIM A dua
    village_code: "34.01.01.2001"
"""
    problems = problems_of(write_config(tmp_path, kulon_progo(kims), ("kim-a",)))
    dup = by_key(problems, "kims.1.slug")
    assert dup.line == 11
    assert "already used" in dup.message.en and "sudah dipakai" in dup.message.id


def test_duplicate_village_code(tmp_path: Path) -> None:
    kims = """\
  - slug: kim-a
    name: KIM A
    village_code: "34.01.01.2004"
  - slug: kim-b
    name: KIM B
    village_code: "34.01.01.2004"
"""
    dup = by_key(problems_of(write_config(tmp_path, kulon_progo(kims), ("kim-a", "kim-b"))), "kims.1.village_code")
    assert dup.line == 13


def test_village_code_outside_regency(tmp_path: Path) -> None:
    kims = '  - slug: kim-a\n    name: KIM A\n    village_code: "35.07.01.2001"\n'
    problem = by_key(problems_of(write_config(tmp_path, kulon_progo(kims), ("kim-a",))), "kims.0.village_code")
    assert problem.line == 10
    assert "35.07.01.2001" in problem.message.en and "34.01" in problem.message.en


def test_village_code_missing_from_region_table(tmp_path: Path) -> None:
    kims = '  - slug: kim-a\n    name: KIM A\n    village_code: "34.01.01.2099"\n'
    path = write_config(tmp_path, kulon_progo(kims, f"regions: {REGIONS}\n"), ("kim-a",))
    problem = by_key(problems_of(path), "kims.0.village_code")
    assert problem.line == 11
    assert "region table" in problem.message.en and "tabel wilayah" in problem.message.id


def test_missing_profile(tmp_path: Path) -> None:
    kims = '  - slug: kim-a\n    name: KIM A\n    village_code: "34.01.01.2004"\n'
    problem = by_key(problems_of(write_config(tmp_path, kulon_progo(kims))), "kims.0.slug")
    assert problem.line == 8
    assert "content/kim-a/profile.yaml" in problem.message.en
    assert problem.hint is not None


def test_reserved_slug(tmp_path: Path) -> None:
    kims = '  - slug: arsip\n    name: KIM A\n    village_code: "34.01.01.2004"\n'
    problem = by_key(problems_of(write_config(tmp_path, kulon_progo(kims), ("arsip",))), "kims.0.slug")
    assert "kim-arsip" in problem.hint.en


def test_missing_theme_folder(tmp_path: Path) -> None:
    kims = '  - slug: kim-a\n    name: KIM A\n    village_code: "34.01.01.2004"\n'
    body = kulon_progo(kims).replace(f"theme: {THEME}", "theme: tidak-ada")
    problem = by_key(problems_of(write_config(tmp_path, body, ("kim-a",))), "theme")
    assert problem.line == 6


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    body = """
regency:
  name: Kabupaten Kulon Progo
  code: "34.01
  base_url: https://kim.example.go.id/
kims: []
"""
    problems = problems_of(write_config(tmp_path, body))
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "invalid YAML" in problems[0].message.en and "YAML tidak valid" in problems[0].message.id


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    body = """
regency:
  name: Kabupaten Kulon Progo
  code: "34.01"
  code: "34.02"
"""
    problems = problems_of(write_config(tmp_path, body))
    assert len(problems) == 1
    assert (problems[0].key, problems[0].line) == ("code", 4)
    assert "twice" in problems[0].message.en


def test_missing_config_file(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "sites.yaml")
    assert "not found" in problems[0].message.en


def test_config_that_is_not_a_mapping(tmp_path: Path) -> None:
    problems = problems_of(write_config(tmp_path, "- a\n- b\n"))
    assert len(problems) == 1 and problems[0].line == 1


def test_empty_kims_list_is_rejected(tmp_path: Path) -> None:
    problems = problems_of(write_config(tmp_path, kulon_progo("  []\n").replace("kims:\n  []", "kims: []")))
    assert by_key(problems, "kims").line == 7
