"""`kimsite init DIR --regency CODE` and `kimsite new kim --village CODE`: a regency's own
repository (its content, its `sites.yaml`, a pinned kimsite version) and its KIMs.

Everything is taken from the national region table: the regency's name, time zone and
local titles, each village's name and district. `sites.yaml` is edited with ruamel.yaml's
round trip, so an admin's comments and key order stay as written.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ruamel.yaml import YAML
from slugify import slugify

from kimsite import __version__
from kimsite.errors import KimsiteError, Problem, Text, display_path
from kimsite.models import Region, RegionTable, SiteConfig
from kimsite.read import regions

# provinces by time zone (Permendagri: WITA from Bali and Kalimantan Selatan eastwards)
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}
_HERE = Path(__file__).resolve().parent
CI_TEMPLATES = _HERE / "ci_templates" if (_HERE / "ci_templates").is_dir() else _HERE.parent / "ci-templates"


def timezone_of(code: str) -> str:
    province = code.split(".")[0]
    return "WIT" if province in _WIT else "WITA" if province in _WITA else "WIB"


def _fail(where: str, message: Text, hint: Text) -> KimsiteError:
    return KimsiteError([Problem(where, message, hint)])


def _nearest(table: RegionTable, code: str, level: str) -> str:
    """Names of the regions of `level` whose codes are closest to `code` (for a typo)."""
    near = [r for r in table.regions.values() if r.level == level and r.code[:2] == code[:2]][:6]
    return ", ".join(f"{r.code} {r.name}" for r in near) or "-"


def find_regency(table: RegionTable, code: str) -> Region:
    """The regency or city of `code`, or an error that says what the code is and what is near."""
    code = code.strip()
    found = table.get(code)
    if found is not None and found.level == "regency":
        return found
    if found is not None:
        level = {"province": "provinsi", "district": "kecamatan", "village": "desa/kelurahan"}[found.level]
        candidates = [r for r in table.regions.values() if r.level == "regency" and (
            r.code == regions.regency_code(code) or (found.level == "province" and r.code.startswith(code + ".")))]
        near = ", ".join(f"{r.code} {r.name}" for r in candidates[:8]) + (" …" if len(candidates) > 8 else "")
        raise _fail("--regency", Text(f"{code} ({found.name}) adalah kode {level}, bukan kabupaten/kota",
                                      f"{code} ({found.name}) is a {found.level} code, not a regency or city"),
                    Text(f"pakai kode kabupaten/kota PP.KK, misalnya: {near}",
                         f"use a regency or city code PP.KK, e.g.: {near}"))
    raise _fail("--regency", Text(f"kode {code} tidak ada di tabel wilayah Kemendagri",
                                  f"code {code} is not in the Kemendagri region table"),
                Text(f"yang terdekat: {_nearest(table, code, 'regency')}; cari dengan 'kimsite regions find NAMA'",
                     f"nearest: {_nearest(table, code, 'regency')}; search with 'kimsite regions find NAME'"))


@dataclass(frozen=True)
class NewKim:
    slug: str
    name: str
    village: Region
    district: Region


def kim_for(table: RegionTable, regency: str, village_code: str, slug: str | None, name: str | None) -> NewKim:
    village = table.get(village_code.strip())
    if village is None or village.level != "village":
        raise _fail("--village", Text(f"kode desa {village_code} tidak ada di tabel wilayah",
                                      f"village code {village_code} is not in the region table"),
                    Text("cari kodenya dengan 'kimsite regions find NAMA-DESA'",
                         "find its code with 'kimsite regions find VILLAGE-NAME'"))
    if regions.regency_code(village.code) != regency:
        raise _fail("--village", Text(f"desa {village.code} {village.name} bukan bagian dari {regency}",
                                      f"village {village.code} {village.name} is not part of {regency}"),
                    Text(f"pilih desa dengan kode yang diawali {regency}.",
                         f"choose a village whose code starts {regency}."))
    district = table.get(regions.district_code(village.code))
    assert district is not None  # the table has every parent (data/SOURCE.md)
    slug = slug or f"kim-{slugify(village.name)}"
    return NewKim(slug, name or f"KIM {village.name}", village, district)


def _sites_yaml(regency: Region, kim: NewKim) -> str:
    district_title = regions.district_title(regency.code)
    return f'''# kimsite configuration of {regency.name} (every key: kimsite's README, "Configuration").
# Names, codes, time zone and titles come from the Kemendagri region table shipped with
# kimsite (Kepmendagri No. 300.2.2-2430 Tahun 2025, via github.com/cahyadsn/wilayah, MIT).
regency:
  name: {regency.name}
  code: "{regency.code}"
  # GANTI/CHANGE: the hub's public address; each KIM is published under it
  base_url: https://kim.{slugify(regency.name.removeprefix("Kabupaten ").removeprefix("Kota "))}.example/
  timezone: {timezone_of(regency.code)}  # WIB, WITA or WIT, from the province
  language: id  # id or en: the sites' interface
  district_title: {district_title}  # what a district is called here
  # village_title: each village's comes from its code ({regions.village_title(kim.village.code)} for the first
  # KIM); set it here only to name every village of the regency alike
build:
  posts_per_page: 10
# a writing page for every KIM at <kim>/admin/, for writers without git (kimsite's
# docs/panduan-admin-cms.md): uncomment and fill in
# cms:
#   backend: github                 # github, gitlab, gitea or forgejo
#   repo: OWNER/NAME                # this repository
#   base_url: https://oauth.example # GitHub: your OAuth proxy; GitLab: app_id instead
#   editorial_workflow: true        # each post is a pull/merge request an editor approves
# add a KIM with: kimsite new kim --village KODE-DESA (find codes: kimsite regions find NAMA)
kims:
  - slug: {kim.slug}
    name: {kim.name}
    village_code: "{kim.village.code}"
'''


def _profile_yaml(kim: NewKim) -> str:
    return f'''# Profil {kim.name}: lengkapi lalu hapus tanda # di depan baris (semua kunci: docs/content-format.md)
name: {kim.name}
village: {kim.village.name}
district: {kim.district.name}
# sk:
#   number: "488/0000/2026"
#   date: 2026-01-02
#   valid_until: 2029-01-02
# board:
#   - name: Nama lengkap
#     role: Ketua
# contacts:
#   whatsapp: "0812-3456-7890"
#   email: kim@contoh.id
# logo: logo.png
# color: "#1d6b4f"
about: |
  {kim.name} mengabarkan kehidupan warga {regions.village_title(kim.village.code)} {kim.village.name}.
'''


def _first_post(kim: NewKim, today: datetime) -> str:
    return f'''---
title: {kim.name} hadir di internet
date: {today:%Y-%m-%d}
category: berita
summary: {kim.name} kini punya situs berita sendiri untuk kabar {kim.village.name}.
---

{kim.name} kini punya situs berita sendiri. Di sini warga {kim.village.name} dapat membaca
kabar desa, agenda kegiatan, produk UMKM, dan cek fakta atas kabar yang beredar.
'''


README = '''# Situs KIM {name}

Repositori ini berisi isi situs KIM {name}: `sites.yaml` (pengaturan), `content/` (satu
folder per KIM) dan versi kimsite yang dipakai (`requirements.txt`). Dibuat dengan
`kimsite init`.

## Dua perintah

```sh
python3 -m venv .venv && .venv/bin/pip install -r requirements.txt
.venv/bin/kimsite build      # membangun semua situs ke output/
.venv/bin/kimsite serve      # pratinjau di http://127.0.0.1:8000/
```

## Menambah KIM

```sh
.venv/bin/kimsite regions find "nama desa"     # mencari kode desa
.venv/bin/kimsite new kim --village 35.73.01.1001
```

Perintah itu menambah KIM ke `sites.yaml` (komentar tetap) dan membuat
`content/<kim>/profile.yaml` yang tinggal dilengkapi. Panduan penulis: docs kimsite,
`panduan-penulis.md`.

## Menerbitkan (deploy)

1. Tambahkan target di `sites.yaml` (bagian `deploy:`, lihat README kimsite, "Deploy").
2. Simpan kata sandi sebagai *secret* (GitHub: Settings → Secrets and variables →
   Actions; GitLab: Settings → CI/CD → Variables).
3. Setiap *push* ke `main` membangun dan menerbitkan situs
   (`.github/workflows/kimsite.yml` atau `.gitlab-ci.yml`), juga setiap malam untuk
   berita terjadwal.

## Menulis dari ponsel

Isi bagian `cms:` di `sites.yaml`, lalu pasang CMS-nya sekali dan simpan kedua berkas
`.cms/package*.json`: `npm install --prefix .cms --save-exact decap-cms@3.16.3`. Setiap KIM
mendapat halaman tulis `<alamat KIM>/admin/`. Panduan: docs kimsite, `panduan-admin-cms.md`
(admin) dan `panduan-menulis-cms.md` (penulis).

## Memperbarui kimsite

Ganti nomor versi di `requirements.txt`, lalu jalankan lagi `pip install -r
requirements.txt` dan `kimsite build`.
'''

GITIGNORE = "/output/\n.kimsite-cache/\n.kimsite-preview/\n/reports/\n.venv/\nnode_modules/\n"


def _ci(name: str, pin: str) -> str:
    """A CI template installing this exact kimsite version instead of the checkout."""
    text = (CI_TEMPLATES / name).read_text(encoding="utf-8")
    return text.replace("pip install --quiet .", f"pip install --quiet -r requirements.txt  # {pin}") \
               .replace("pip install .", f"pip install -r requirements.txt  # {pin}")


def init(folder: Path, code: str, table: RegionTable, today: datetime) -> list[Path]:
    """Write a ready regency repository into `folder` (absent or empty); return what was written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise _fail(display_path(folder), Text("folder ini sudah berisi berkas", "this folder is not empty"),
                    Text("pilih folder baru atau yang kosong", "choose a new or empty folder"))
    regency = find_regency(table, code)
    first = next(r for r in sorted(table.regions.values(), key=lambda r: r.code)
                 if r.level == "village" and r.code.startswith(regency.code + "."))
    kim = kim_for(table, regency.code, first.code, None, None)
    pin = f"kimsite[ssh,s3]=={__version__}"
    files = {
        "sites.yaml": _sites_yaml(regency, kim),
        f"content/{kim.slug}/profile.yaml": _profile_yaml(kim),
        f"content/{kim.slug}/posts/{today:%Y-%m-%d}-selamat-datang.md": _first_post(kim, today),
        ".gitignore": GITIGNORE,
        "requirements.txt": f"{pin}\n",
        "README.md": README.format(name=regency.name),
        ".github/workflows/kimsite.yml": _ci("github-workflow.yml", pin),
        ".gitlab-ci.yml": _ci("gitlab-ci.yml", pin),
    }
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def add_kim(config: SiteConfig, table: RegionTable, village_code: str, slug: str | None,
            name: str | None) -> list[Path]:
    """Add a KIM to sites.yaml (comments and order kept) and write its profile skeleton."""
    kim = kim_for(table, config.regency.code, village_code, slug, name)
    shown = display_path(config.path)
    taken = {k.slug: k for k in config.kims}
    if kim.slug in taken or (config.content_dir / kim.slug).exists():
        raise _fail(shown, Text(f"slug '{kim.slug}' sudah dipakai", f"slug '{kim.slug}' is taken"),
                    Text("pilih slug lain dengan --slug, misalnya kim-nama-desa-2",
                         "choose another with --slug, e.g. kim-village-name-2"))
    if any(k.village_code == kim.village.code for k in config.kims):
        raise _fail(shown, Text(f"desa {kim.village.code} sudah punya KIM", f"village {kim.village.code} has a KIM"),
                    Text("satu KIM per desa; periksa daftar kims di sites.yaml",
                         "one KIM per village; see the kims list in sites.yaml"))
    yaml = YAML()  # round trip: comments, order and quoting stay as the admin wrote them
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - slug: …", as kimsite init and the README write it
    data = yaml.load(config.path.read_text(encoding="utf-8"))
    entry = yaml.load(f'slug: {kim.slug}\nname: {kim.name}\nvillage_code: "{kim.village.code}"\n')
    data["kims"].append(entry)
    out = io.StringIO()
    yaml.dump(data, out)
    config.path.write_text(out.getvalue(), encoding="utf-8")
    profile = config.content_dir / kim.slug / "profile.yaml"
    (profile.parent / "posts").mkdir(parents=True, exist_ok=True)
    profile.write_text(_profile_yaml(kim), encoding="utf-8")
    return [config.path, profile]
