"""Read a KIM's profile.yaml → `Profile`, with line-numbered problems.

A profile error stops the build before anything is written (the profile feeds every
page of the site); questionable values are warnings.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from pydantic import Field

from kimsite import cachefile
from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import BoardMember, Contacts, Decree, Profile, SocialLink
from kimsite.read import spam
from kimsite.read.files import inside
from kimsite.read.markup import MarkupRenderer
from kimsite.read.phone import normalise_whatsapp
from kimsite.read.schema import Strict, validate
from kimsite.read.yamlsrc import YamlProblem, load_yaml

MIN_CONTRAST = 4.5  # WCAG AA for normal text

PROFILE_HINTS = {
    "color": Text("tulis warna seperti \"#1d6b4f\" (pakai tanda kutip)", "write a colour like \"#1d6b4f\" (quoted)"),
    "whatsapp": Text("tulis nomor seperti \"+6281234567890\"", "write the number like \"+6281234567890\""),
}


class SkSchema(Strict):
    number: str
    date: dt.date | None = None
    valid_until: dt.date | None = None


class BoardSchema(Strict):
    name: str
    role: str


class SocialSchema(Strict):
    label: str
    url: str = Field(pattern=r"^https?://\S+$")


class ContactsSchema(Strict):
    whatsapp: str | None = Field(None, pattern=r"^\+?[0-9][0-9 -]{7,19}$")
    email: str | None = Field(None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    social: list[SocialSchema] = []


class ProfileSchema(Strict):
    name: str = Field(min_length=1)
    village: str | None = None
    district: str | None = None
    sk: SkSchema | None = None
    kim_id: str | None = None
    board: list[BoardSchema] = []
    contacts: ContactsSchema = ContactsSchema()
    about: str = ""
    logo: str | None = None
    color: str | None = Field(None, pattern=r"^#[0-9a-fA-F]{6}$")



def _profile_model(schema: ProfileSchema, kim_dir: Path, renderer: MarkupRenderer) -> Profile:
    return Profile(
        name=schema.name,
        village=schema.village,
        district=schema.district,
        sk=Decree(schema.sk.number, schema.sk.date, schema.sk.valid_until) if schema.sk else None,
        kim_id=schema.kim_id,
        board=tuple(BoardMember(b.name, b.role) for b in schema.board),
        contacts=Contacts(
            whatsapp=schema.contacts.whatsapp,
            email=schema.contacts.email,
            social=tuple(SocialLink(s.label, s.url) for s in schema.contacts.social),
        ),
        about_html=renderer.render(schema.about).html if schema.about else "",
        logo=(kim_dir / schema.logo) if schema.logo else None,
        color=schema.color if schema.color and contrast_with_white(schema.color) >= MIN_CONTRAST else None,
    )


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of a #rrggbb colour against white."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def _check_profile(schema: ProfileSchema, kim_dir: Path, shown: str, expected: tuple[str, str],
                   line_of: Any) -> list[Problem]:
    problems = []
    if schema.logo and not (inside(kim_dir / schema.logo, kim_dir) and (kim_dir / schema.logo).is_file()):
        problems.append(Problem(shown, Text(f"logo '{schema.logo}' tidak ditemukan di folder KIM",
                                            f"logo '{schema.logo}' not found in the KIM's folder"),
                                Text("simpan logo di folder KIM dan tulis nama berkasnya",
                                     "keep the logo in the KIM's folder and give its file name"),
                                line=line_of(("logo",)), key="logo"))
    if schema.contacts.whatsapp and normalise_whatsapp(schema.contacts.whatsapp) is None:
        problems.append(Problem(shown, Text(f"'{schema.contacts.whatsapp}' bukan nomor HP: tautan WhatsApp dan "
                                            "formulir aspirasi tidak bisa dipakai",
                                            f"'{schema.contacts.whatsapp}' is not a mobile number: the WhatsApp "
                                            "link and the aspirasi form cannot use it"),
                                PROFILE_HINTS["whatsapp"], line=line_of(("contacts", "whatsapp")),
                                key="contacts.whatsapp", severity=Severity.WARNING))
    if schema.color and contrast_with_white(schema.color) < MIN_CONTRAST:
        problems.append(Problem(shown, Text(f"warna {schema.color} terlalu terang untuk teks; warna bawaan dipakai",
                                            f"colour {schema.color} is too light for text; the default is used"),
                                Text("pilih warna yang lebih gelap (kontras minimal 4,5:1), misalnya \"#1d6b4f\"",
                                     "choose a darker colour (contrast at least 4.5:1), e.g. \"#1d6b4f\""),
                                line=line_of(("color",)), key="color", severity=Severity.WARNING))
    for key, official in zip(("village", "district"), expected, strict=True):
        written = getattr(schema, key)
        if official and written and written.casefold() != official.casefold():
            problems.append(Problem(shown, Text(f"'{written}' berbeda dari nama resmi '{official}'",
                                                f"'{written}' differs from the official name '{official}'"),
                                    Text(f"tulis '{key}: {official}' atau periksa kode desa di sites.yaml",
                                         f"write '{key}: {official}' or check the village code in sites.yaml"),
                                    line=line_of((key,)), key=key, severity=Severity.WARNING))
    return problems


def load_profile(kim_dir: Path, root: Path, official: tuple[str, str],
                 renderer: MarkupRenderer) -> tuple[Profile | None, list[Problem]]:
    """The KIM's profile; `official` is (village, district) from the region table."""
    path = kim_dir / "profile.yaml"
    shown = display_path(path, root)
    try:
        data, index = load_yaml(path, shown)
    except YamlProblem as err:
        return None, [err.problem]
    schema, problems = validate(ProfileSchema, data, index, shown, PROFILE_HINTS)
    if schema is None:
        return None, problems
    problems = _check_profile(schema, kim_dir, shown, official, index.line_of)
    if any(p.is_error for p in problems):
        return None, problems
    return _profile_model(schema, kim_dir, renderer), problems


class ProfileCache:
    """Profiles as read at the last build, by the bytes of their profile.yaml (and the official
    names they were checked against): a build reads 150 profiles without parsing, validating
    or rendering any that did not change. Only profiles without errors are kept; a kept
    profile's logo must still be there. `path` None: nothing is read or saved."""

    def __init__(self, path: Path | None, version: str):
        self.path, self.version = path, version
        self.old = cachefile.load(path, version) if path else {}
        self.used: dict[str, tuple[Profile, tuple[Problem, ...]]] = {}
        self._renderer: MarkupRenderer | None = None

    def load(self, kim_dir: Path, root: Path, official: tuple[str, str],
             rules: spam.SpamRules | None = None) -> tuple[Profile | None, list[Problem]]:
        """The profile (None when broken, or spam: held back) and its problems; `rules` are part
        of the key, so a kept profile passed the same spam check."""
        try:
            raw = (kim_dir / "profile.yaml").read_bytes()
        except OSError:
            raw = b""  # load_profile reports it
        key = hashlib.sha256(raw + repr((str(kim_dir), str(root), official, rules)).encode()).hexdigest()
        known = self.old.get(key)
        last_good = ("last-good", str(kim_dir))
        if known is not None and (known[0].logo is None or known[0].logo.is_file()):
            self.used[key] = self.used[last_good] = known
            return known[0], list(known[1])
        if self._renderer is None:
            self._renderer = MarkupRenderer()
        profile, problems = load_profile(kim_dir, root, official, self._renderer)
        if profile is not None and rules is not None:
            shown = display_path(kim_dir / "profile.yaml", root)
            held = spam.problems(spam.check(raw.decode("utf-8", errors="replace"), shown, rules), shown)
            if held:
                profile, problems = None, problems + held
        if profile is not None:
            self.used[key] = self.used[last_good] = (profile, tuple(problems))
        elif last_good in self.old:
            self.used[last_good] = self.old[last_good]
        return profile, problems

    def last_good(self, kim_dir: Path) -> Profile | None:
        """The profile of this KIM as it was at its last good build (None: never, or not cached)."""
        entry = self.used.get(("last-good", str(kim_dir)))
        return entry[0] if entry else None

    def save(self) -> None:
        if self.path is not None and self.used != self.old:
            cachefile.save(self.path, self.version, self.used)
