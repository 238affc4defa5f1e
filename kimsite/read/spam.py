"""Gambling spam (judi online) and hidden links, caught before anything is published.

Village sites are defaced again and again with "SITUS SLOT GACOR MAXWIN" links, often
through a stolen or careless writer account. Every text a writer controls (posts,
products, pages, profiles, aspirasi entries) is checked for:

- gambling and spam terms (`kimsite/data/spam-terms.txt` and the regency's `spam.terms`),
  matched as whole words after folding case, accents, punctuation, spaced-out letters
  (`s l o t`) and leetspeak (`s1ot g4c0r`, `m4xw1n`, `t0gel`);
- links to blocked hosts (`kimsite/data/spam-domains.txt` and `spam.block_domains`);
- hidden text or links in the source (`display:none`, 1 px fonts, white text);
- a burst of outbound links (more than `spam.max_links` in one text).

A match is an error: the item is held back (its last good version stays live) until it is
fixed or a reviewed `spam.allow` entry clears that match in that file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from kimsite.errors import Problem, Text

DATA = Path(__file__).resolve().parent.parent / "data"
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i",
                       "|": "l", "+": "t"})
_LINK = re.compile(r"""(?:href|src)\s*=\s*["']?(https?://[^"'\s>)]+)|\]\((https?://[^)\s]+)|<(https?://[^>\s]+)>"""
                   r"""|(?<![("'=\w])(https?://[^\s<>"')\]]+)""", re.I)
_HIDDEN = (
    (re.compile(r"display\s*:\s*none", re.I), "display:none"),
    (re.compile(r"visibility\s*:\s*hidden", re.I), "visibility:hidden"),
    (re.compile(r"font-size\s*:\s*(?:0|1|0?\.\d+)(?:\.\d+)?\s*(?:px|pt)?\s*[;\"'}]", re.I), "font-size 0-1px"),
    (re.compile(r"(?<!background-)color\s*:\s*(?:#fff(?:fff)?|white|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))\b", re.I),
     "white text"),
    (re.compile(r"opacity\s*:\s*0(?:\.0+)?\s*[;\"'}]", re.I), "opacity:0"),
    (re.compile(r"<[a-z]+[^>]*\shidden(?:[\s>=])", re.I), "hidden attribute"),
    (re.compile(r"(?:height|width)\s*:\s*0(?:px)?\s*;[^\"']*overflow\s*:\s*hidden", re.I), "zero-size box"),
)


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces; letters written apart joined."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9@$!|+]+", " ", plain)
    # "s l o t g a c o r" and "s.l.o.t" (dots already spaces): runs of 3+ single characters
    plain = re.sub(r"\b(?:[a-z0-9@$!|+] ){2,}[a-z0-9@$!|+]\b", lambda m: m.group(0).replace(" ", ""), plain)
    return " ".join(plain.split())


def _variants(folded: str) -> set[str]:
    """Leetspeak read both ways where it is ambiguous: 1 is an i (m4xw1n) or an l (s1ot)."""
    base = folded.translate(_LEET)
    return {base.replace("1", "i"), base.replace("1", "l")}


@dataclass(frozen=True)
class Allow:
    path: str  # as shown in messages, e.g. content/kim-a/posts/2026-01-02-x.md
    match: str  # the term or host that was flagged


@dataclass(frozen=True)
class SpamRules:
    """What counts as spam for one regency (frozen, picklable: it travels to the workers)."""

    terms: tuple[str, ...] = ()  # spam however written
    disguised: tuple[str, ...] = ()  # spam only when written disguised (leetspeak, spaced out) or with a cue
    cues: tuple[str, ...] = ()  # words of promotion that make a plainly written topic term spam
    block_words: tuple[str, ...] = ()
    block_hosts: tuple[str, ...] = ()
    allow: tuple[Allow, ...] = ()
    max_links: int = 10
    own_hosts: tuple[str, ...] = ()  # the regency's and KIMs' hosts: links there are not outbound


def _prefixed(lines: list[str], prefix: str) -> tuple[str, ...]:
    return tuple(fold(t.removeprefix(prefix)) for t in lines if t.startswith(prefix))


@cache
def shipped() -> tuple[tuple[str, ...], ...]:
    """(terms, disguised terms, cues, host words, hosts) from the package's data files."""
    terms, domains = _lines(DATA / "spam-terms.txt"), _lines(DATA / "spam-domains.txt")
    return (tuple(fold(t) for t in terms if not t.startswith(("disguised:", "cue:"))),
            _prefixed(terms, "disguised:"), _prefixed(terms, "cue:"),
            tuple(d.removeprefix("word:") for d in domains if d.startswith("word:")),
            tuple(d.lower() for d in domains if not d.startswith("word:")))


def rules(terms: Iterable[str] = (), block_domains: Iterable[str] = (), allow: Iterable[Allow] = (),
          max_links: int = 10, own_hosts: Iterable[str] = ()) -> SpamRules:
    base_terms, disguised, cues, words, hosts = shipped()
    return SpamRules(base_terms + tuple(fold(t) for t in terms), disguised, cues, words,
                     hosts + tuple(d.lower().removeprefix("www.") for d in block_domains), tuple(allow), max_links,
                     tuple(own_hosts))


@dataclass(frozen=True)
class Finding:
    match: str  # the term, host or trick found (for Diskominfo's eyes only: never published)
    kind: str  # "term", "domain", "hidden", "links"
    line: int  # 1-based, within the text checked


@dataclass
class _Scan:
    rules: SpamRules
    path: str
    found: list[Finding] = field(default_factory=list)

    def add(self, match: str, kind: str, line: int) -> None:
        if not any(a.path == self.path and a.match.lower() == match.lower() for a in self.rules.allow):
            self.found.append(Finding(match, kind, line))


def _host_blocked(host: str, spam: SpamRules) -> bool:
    host = host.lower().removeprefix("www.")
    if any(host == h or host.endswith("." + h) for h in spam.block_hosts):
        return True
    parts = re.split(r"[.\-]", host)
    return any(part == w or (len(w) >= 5 and part.startswith(w)) for part in parts for w in spam.block_words)


def _plain(line: str) -> str:
    """The line as written, only folded: no letters joined, no leetspeak read."""
    ascii_text = unicodedata.normalize("NFKD", line).encode("ascii", "ignore").decode().lower()
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split()) + " "


def _found(term: str, padded: set[str], joined: set[str]) -> bool:
    """A term as whole words; a term of several words also written together (slotgacor)."""
    return any(f" {term} " in v for v in padded) or (" " in term and len(term) >= 9
                                                    and any(term.replace(" ", "") in j for j in joined))


def _term_hits(scan: _Scan, text: str, cued: bool) -> list[str]:
    padded = {f" {v} " for v in _variants(fold(text))}
    joined = {v.replace(" ", "") for v in padded}
    plain = _plain(text)
    hits = [term for term in scan.rules.terms if _found(term, padded, joined)]
    # news about gambling is news; disguising the word, or selling it, is not
    hits += [term for term in scan.rules.disguised
             if (cued or f" {term} " not in plain) and _found(term, padded, joined)]
    return hits


def _terms(scan: _Scan, text: str) -> None:
    plain = _plain(text)
    cued = any(f" {cue} " in plain for cue in scan.rules.cues)
    if not _term_hits(scan, text, cued):  # the whole text first: a clean one is read once
        return
    for number, line in enumerate(text.splitlines() or [text], start=1):
        for term in _term_hits(scan, line, cued):
            scan.add(term, "term", number)


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _links(scan: _Scan, text: str) -> None:
    outbound = 0
    for match in _LINK.finditer(text):
        url = next(g for g in match.groups() if g)
        host = (urlsplit(url).hostname or "").lower()
        if _host_blocked(host, scan.rules):
            scan.add(host, "domain", _line_at(text, match.start()))
        if host and not any(host == h or host.endswith("." + h) for h in scan.rules.own_hosts):
            outbound += 1
            if outbound == scan.rules.max_links + 1:
                scan.add(f"> {scan.rules.max_links} links", "links", _line_at(text, match.start()))


def _hidden(scan: _Scan, text: str) -> None:
    for pattern, name in _HIDDEN:
        for match in pattern.finditer(text):
            scan.add(name, "hidden", _line_at(text, match.start()))


def check(text: str, path: str, spam: SpamRules, first_line: int = 1) -> list[Finding]:
    """Every spam finding in `text` (the writer's source: front matter values and body), with
    lines counted from `first_line`; none when it is clean or a reviewed entry allows it."""
    scan = _Scan(spam, path)
    _terms(scan, text)
    _links(scan, text)
    _hidden(scan, text)
    seen: set[tuple[str, str]] = set()
    unique = [f for f in scan.found if (f.kind, f.match) not in seen and not seen.add((f.kind, f.match))]
    return [Finding(f.match, f.kind, f.line + first_line - 1) for f in unique]


KINDS = {"term": Text("istilah judi/spam", "gambling/spam term"), "domain": Text("tautan ke situs terlarang",
                                                                                "link to a blocked site"),
         "hidden": Text("teks atau tautan tersembunyi", "hidden text or link"),
         "links": Text("terlalu banyak tautan keluar", "too many outbound links")}


def problems(findings: list[Finding], path: str, site: str | None = None) -> list[Problem]:
    """One error per finding, for Diskominfo: what matched, where, and how to clear a false alarm."""
    return [Problem(path, Text(f"dugaan spam, ditahan: {KINDS[f.kind].id} '{f.match}'",
                               f"suspected spam, held back: {KINDS[f.kind].en} '{f.match}'"),
                    Text(f"hapus bagian itu; bila ini bukan spam, setelah diperiksa tambahkan di sites.yaml: "
                         f"spam: allow: - {{path: {path}, match: \"{f.match}\"}}",
                         f"remove it; if it is not spam, once reviewed add to sites.yaml: "
                         f"spam: allow: - {{path: {path}, match: \"{f.match}\"}}"),
                    line=f.line, key="spam", site=site) for f in findings]
