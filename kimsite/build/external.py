"""The feeds of the KIMs that publish elsewhere (`kims[].feed`), fetched for the hub.

Each is fetched once per build with a conditional GET (or, `--offline`, read from the last
good copy in `.kimsite-cache/feeds/` alone), within `hub.feed_timeout`, `hub.feed_max_kb`
and `hub.feed_max_redirects`. A feed that fails is a warning naming it, never an error: its
last good entries stay in the hub. The result's `key` (a digest of the entries and statuses)
joins the hub's key, so a changed feed rebuilds the hub and an unchanged one does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kimsite import cachefile
from kimsite.errors import Problem
from kimsite.models import SiteConfig
from kimsite.read import external, remote
from kimsite.read.external import ExternalFeeds


@dataclass
class Gathered:
    feeds: ExternalFeeds = field(default_factory=ExternalFeeds)
    problems: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        if not self.feeds.statuses:
            return ""
        return cachefile.digest(self.feeds)


def policy(config: SiteConfig, allow_local: bool) -> remote.FetchPolicy:
    hub = config.hub
    return remote.FetchPolicy(timeout=hub.feed_timeout, deadline=hub.feed_timeout * 2,
                              max_bytes=hub.feed_max_kb * 1024, max_redirects=hub.feed_max_redirects,
                              allow_local=allow_local)


def gather(config: SiteConfig, cache_dir: Path, now: datetime, offline: bool) -> Gathered:
    """Every external KIM's entries (sanitised, spam left out, in the regency's zone) and status."""
    kims = [k for k in config.kims if k.external]
    if not kims:
        return Gathered()
    cache = external.FeedCache(cache_dir / "feeds")
    spec = external.ExternalSpec(config.regency.tz_name, config.categories, config.default_category,
                                 config.hub.feed_max_entries, config.spam)
    rules = policy(config, config.hub.feed_allow_local)
    entries, statuses, problems = {}, [], []
    for kim in kims:
        parsed, status, problem = external.refresh(kim, cache, rules, now, offline)
        statuses.append(status)
        problems += [problem] if problem else []
        if parsed is not None:
            found, held = external.hub_entries(kim, parsed, spec)
            entries[kim.slug] = tuple(found)
            problems += held
    return Gathered(ExternalFeeds(entries, tuple(statuses)), problems)
