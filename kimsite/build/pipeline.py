"""The orchestrator: the order of the stages, parallelism and the build report.

    config → profiles (all validated before writing) → one job per KIM →
    sites in worker processes → hub → report
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import itertools
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kimsite.build import external, plan, shards
from kimsite.build import spare as spare_pool
from kimsite.build.timing import Timings
from kimsite.errors import BuildError, Problem, Text, display_path
from kimsite.models import Profile, ProvinceConfig, SiteConfig, SiteJob
from kimsite.output import budgets, compress, manifest, reports, state
from kimsite.output.files import fresh_dir, publish_tree
from kimsite.read import cmsconf, inputs, owners
from kimsite.read.external import ExternalFeeds
from kimsite.site import cards, worker
from kimsite.site.worker import SiteResult

CACHE_DIR = ".kimsite-cache"
Progress = Callable[[int, int, SiteResult], None]


@dataclass(frozen=True)
class BuildOptions:
    build_time: datetime
    output_dir: Path | None = None  # default: the config's `output`
    workers: int | None = None  # default: the config's, else one per core
    shard: tuple[int, int] | None = None  # (i, n): build only shard i of n, and no hub
    drafts: bool = False  # a preview: drafts and scheduled posts are published too
    force: bool = False  # build into a non-empty output folder kimsite did not make
    offline: bool = False  # external KIMs' feeds from the cache only, nothing fetched
    changed: tuple[str, ...] | None = None  # check: the files one change touches (`--changed-files`)
    changed_from: str = ""  # where that list came from, for messages


@dataclass
class BuildReport:
    results: list[SiteResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # config/profile warnings
    hub_files: int = 0
    seconds: float = 0.0
    timings: Timings = field(default_factory=Timings)

    @property
    def failed(self) -> list[str]:
        return [r.kim for r in self.results if not r.ok]

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for r in self.results for p in r.problems]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.all_problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.all_problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def load_profiles(config: SiteConfig, cached: bool = False) -> tuple[dict[str, Profile], list[Problem]]:
    """Every good profile and the problems of all. A broken profile stops only its KIM (its
    problems are errors: the build exits 1). `cached`: through the build cache."""
    found = plan.load_profiles(config, config.root / CACHE_DIR / "profiles.pickle" if cached else None)
    return found.good, found.problems


def make_jobs(config: SiteConfig, found: dict[str, Profile], options: BuildOptions) -> list[SiteJob]:
    output = (options.output_dir or config.output_dir).resolve()
    return [
        SiteJob(
            kim=kim, regency=config.regency, profile=found[kim.slug],
            kim_dir=config.content_dir / kim.slug, theme_dir=config.theme_dir,
            output_dir=output / kim.slug, cache_dir=config.root / CACHE_DIR, root=config.root,
            build_time=options.build_time, categories=config.categories,
            posts_per_page=config.build.posts_per_page, hub_url=config.regency.base_url,
            product_categories=config.product_categories,
            feed_full_content=config.build.feed_content == "full", precompress=config.build.precompress,
            default_category=config.default_category, drafts=options.drafts, spam=config.spam,
            pack_posts=config.build.pack_posts, cms=config.cms, downloads=config.build.downloads)
        for kim in config.kims if kim.slug in found
    ]


def worker_count(config: SiteConfig, options: BuildOptions, jobs: int) -> int:
    wanted = options.workers or config.build.workers or os.cpu_count() or 1
    return max(1, min(wanted, jobs))


@contextlib.contextmanager
def started_jobs(task: Callable[[SiteJob], SiteResult], jobs: list[SiteJob], workers: int,
                 spare: Any = None) -> Iterator[Iterator[SiteResult]]:
    """The jobs running, each site in a fresh worker process (Pelican's process-wide state never
    leaks); the parent is free until it reads the results. `spare`: a pool started already
    (`spare.take`) that runs the one job."""
    if not jobs:
        yield iter(())
        return
    context = multiprocessing.get_context("fork")
    with spare or context.Pool(processes=workers, maxtasksperchild=1) as pool:
        yield pool.imap_unordered(task, jobs)


def _collect(results: Iterable[SiteResult], total: int, progress: Progress | None) -> list[SiteResult]:
    collected = []
    for done, result in enumerate(results, start=1):
        collected.append(result)
        if progress:
            progress(done, total, result)
    return sorted(collected, key=lambda r: r.kim)


def build(config: SiteConfig, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """Build every KIM site (or one shard's) and the hub into the output folder."""
    started, timings = time.perf_counter(), Timings()
    with timings.stage("baca/read"):
        planned = _plan(config, options)
    output, kept, todo = planned.output, planned.kept, planned.todo
    workers = worker_count(config, options, len(todo))
    if len(todo) > workers:  # imported once for all the workers; for a few sites each imports its own,
        worker.preload()  # while the parent reads ahead for the hub
    generation = _hub_generation(config, options)
    with timings.stage("situs/sites"), started_jobs(worker.build_site, todo, workers, planned.spare) as built:
        ahead = _read_ahead(config, generation, kept, output) if todo and not options.shard else None
        results = _collect(itertools.chain(kept, _saved(built, output, bool(options.shard))),
                           len(kept) + len(todo), progress)
    report = BuildReport(results, planned.problems, 0, 0.0, timings)
    if options.shard:  # the merge step builds the hub once every shard is in
        shards.make_portable(output, [r.kim for r in kept])
        return _done(report, started)
    feeds = external.gather(config, config.root / CACHE_DIR, datetime.now(UTC), options.offline)
    planned.problems.extend(feeds.problems)
    key = inputs.hub_key(f"{generation} {options.build_time.date()} {feeds.key}",  # a post come due: one more post
                            [(r.kim, f"{r.inputs} {r.post_count}" if r.ok and r.inputs else "") for r in results])
    cache = config.root / CACHE_DIR
    if state.hub_is_current(cache, key, output):  # nothing changed: the hub and manifest stand
        return _done(report, started)
    with timings.stage("portal/hub"):
        report.results = whole_results(results, output, ahead.saved if ahead else None)
        report.hub_files = _finish(config, planned.profiles, report.results, planned.problems, options, output, ahead,
                                   feeds.feeds)
        state.save_hub_key(cache, key, output)
    return _done(report, started)


def _done(report: BuildReport, started: float) -> BuildReport:
    return replace(report, seconds=time.perf_counter() - started)


@dataclass
class _Plan:
    profiles: dict[str, Profile]
    problems: list[Problem]
    output: Path
    kept: list[SiteResult]  # summaries of the sites whose output stands
    todo: list[SiteJob]  # the sites to build
    spare: Any = None  # a worker started already, for a build of one site


def _plan(config: SiteConfig, options: BuildOptions) -> _Plan:
    """Profiles, jobs and which sites need building; a spare worker imports Pelican meanwhile
    (kept only when one site is to be built)."""
    spare = spare_pool.take(options.workers or config.build.workers or os.cpu_count() or 1)
    try:
        profiles = plan.load_profiles(config, config.root / CACHE_DIR / "profiles.pickle")
        found, problems = profiles.good, profiles.problems + cmsconf.missing_script(config.path, config.cms)
        jobs = make_jobs(config, found, options)
        stale = make_jobs(config, profiles.stale, options)  # a broken profile: the last good site stands
        if options.shard:
            jobs = [job for job in jobs if shards.in_shard(job.kim.slug, options.shard)]
            stale = [job for job in stale if shards.in_shard(job.kim.slug, options.shard)]
        output = (options.output_dir or config.output_dir).resolve()
        plan.check_output(config, output, config.root / CACHE_DIR, options.force)
        output.mkdir(parents=True, exist_ok=True)
        kept, todo = _up_to_date(jobs, output)  # checked here: an unchanged site costs no worker process
        standing = plan.standing(stale, output)
        kept += standing
        found = {**found, **{r.kim: profiles.stale[r.kim] for r in standing}}
    except BaseException:
        if spare is not None:
            spare.terminate()
        raise
    if spare is not None and len(todo) != 1:
        spare.terminate()
        spare = None
    return _Plan(found, problems, output, kept, todo, spare)


def _saved(built: Iterable[SiteResult], output: Path, portable: bool = False) -> Iterator[SiteResult]:
    """Each new result saved in the shard folder as it arrives, and only its summary kept: the
    parent stays small while sites build (each worker is forked from it), and the hub reads
    the whole results back when it needs them."""
    for result in built:
        shards.save_result(output, result.kim, result, portable)
        yield result.summarised()


def _up_to_date(jobs: list[SiteJob], output: Path) -> tuple[list[SiteResult], list[SiteJob]]:
    """Summaries of the sites whose inputs are as at their last build (and whose result is in
    the shard folder), and the jobs of the others."""
    kept, todo = [], []
    themes: dict[Path, str] = {}  # one look at the theme for every KIM
    for job in jobs:
        if job.theme_dir not in themes:
            themes[job.theme_dir] = inputs.folder_stamp(job.theme_dir)
        theme = themes[job.theme_dir]
        last, _inputs, _stamp = plan.current(job, theme)
        if last is None or not shards.has_result(output, job.kim.slug):
            todo.append(job)
        else:
            kept.append(dataclasses.replace(last, unchanged=True, seconds=0.0))
    return kept, todo


def whole_results(results: list[SiteResult], output: Path,
                  saved: dict[str, SiteResult] | None = None) -> list[SiteResult]:
    """Summaries replaced by the whole results saved in the shard folder (for the hub);
    `saved`: those read already."""
    saved = dict(saved or {})
    saved.update(shards.load_results(output, [r.kim for r in results if r.summary and r.kim not in saved])[0])
    return [dataclasses.replace(saved.get(r.kim, r), unchanged=r.unchanged, seconds=r.seconds) if r.summary else r
            for r in results]


@dataclass
class _Ahead:
    saved: dict[str, SiteResult]
    memo: Any  # publish.Memo
    parts: dict[str, str]  # the manifest parts of the unchanged sites
    hub_posts: dict[str, list[Any]]  # their posts as the hub shows them (hub.data.kim_hub_posts)
    templates: Any  # the hub's, compiled (hub.warm_up)


def _read_ahead(config: SiteConfig, generation: str, kept: list[SiteResult], output: Path) -> _Ahead:
    """While sites build in the workers (a site changed, so the hub will be rebuilt): read the
    whole results and manifest parts of the unchanged sites and the hub's last publish record,
    and check which of its groups of files are whole on disk."""
    from kimsite import hub  # imported now, while the workers run
    from kimsite.hub import data
    from kimsite.output import publish

    saved, _missing = shards.load_results(output, [r.kim for r in kept])
    memo = publish.Memo(output, generation)
    gc.freeze()  # what was read lives to the end: the collector need not walk it again and again
    memo.check_ahead()
    parts = {r.kim: manifest.read_part(output / r.kim, f"{r.kim}/") for r in kept}
    kims = {kim.slug: kim for kim in config.kims}
    prepared = {slug: data.kim_hub_posts(kims[slug], result.posts) for slug, result in saved.items() if slug in kims}
    return _Ahead(saved, memo, parts, prepared, hub.warm_up(config))


def _hub_generation(config: SiteConfig, options: BuildOptions) -> str:
    """With the share card's key: every hub page names the card's file, and its font is not in the config."""
    return inputs.hub_generation(f"{config!r} {cards.hub_card_key(config)}", config.theme_dir)


def merge(config: SiteConfig, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """The hub (and build manifest) from the results the shards left in the output folder."""
    started = time.perf_counter()
    found, problems = load_profiles(config)
    output = (options.output_dir or config.output_dir).resolve()
    plan.check_output(config, output, config.root / CACHE_DIR, options.force)
    saved, missing = shards.load_portable(output, [k.slug for k in config.kims if not k.external],
                                          config.regency.tz_name)
    if missing:
        raise BuildError([Problem(
            display_path(output / shards.SHARD_DIR), Text(f"hasil build belum ada untuk: {', '.join(missing)}",
                                                          f"no build result yet for: {', '.join(missing)}"),
            Text("jalankan semua shard (kimsite build --shard i/n) ke folder output yang sama dulu",
                 "run every shard (kimsite build --shard i/n) into the same output folder first"))])
    results = [saved[k.slug] for k in sorted(config.kims, key=lambda k: k.slug) if not k.external]
    feeds = external.gather(config, config.root / CACHE_DIR, datetime.now(UTC), options.offline)
    problems += feeds.problems
    hub_files = _finish(config, found, results, problems, options, output, external=feeds.feeds)
    return BuildReport(results, problems, hub_files, time.perf_counter() - started)


def _finish(config: SiteConfig, found: dict[str, Profile], results: list[SiteResult], problems: list[Problem],
            options: BuildOptions, output: Path, ahead: _Ahead | None = None,
            external: ExternalFeeds | None = None) -> int:
    """The hub over every site's results, the budget report and the build manifest (`ahead`:
    what was read while the sites built)."""
    from kimsite import hub  # here: a build where nothing changed never imports the hub
    from kimsite.deploy import plan
    from kimsite.output import publish

    today = options.build_time.date()
    memo = ahead.memo if ahead else publish.Memo(output, _hub_generation(config, options))
    weigh = budgets.page_weigher(output, {k.url: output / k.slug for k in config.kims})
    publisher = publish.Publisher(memo, config.build.precompress,
                                  weigh=lambda rel, html: None if rel.startswith("s/") else weigh(rel, html))
    writer = publish.PublishingWriter(publisher, compress.minify)  # each page published as it is rendered
    held = reports.write_spam(config.root / "reports" / "spam.csv",
                             [*problems, *(p for r in results for p in r.problems)])
    hub_files = hub.write_hub(config, found, {r.kim: r.posts for r in results}, today, writer,
                              {r.kim: r.extras for r in results}, ahead.hub_posts if ahead else None, held,
                              external, cards.write_hub_card(config, config.root / CACHE_DIR, writer.write, problems),
                              ahead.templates if ahead else None)
    published = publisher.finish(frozenset(k.slug for k in config.kims))
    hub_weights = published.weights  # not the short-link redirects
    problems += budgets.check(hub_weights, hub_home="index.html")
    all_weights = [*hub_weights, *(w for r in results for w in r.weights)]
    reports.write_budgets(config.root / "reports" / "budgets.csv", all_weights)
    plan.write_joined_manifest(output / plan.BUILD_MANIFEST,
                               manifest_chunks(config, published.chunks, output, ahead.parts if ahead else {}))
    plan.write_build_info(output, config.regency.base_url)  # deploy refuses an output built for another URL
    return hub_files


def manifest_chunks(config: SiteConfig, hub_chunks: dict[str, str], output: Path,
                    parts: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The build manifest in pieces to be joined (plan.write_joined_manifest): the hub's files
    as published (JSON text per folder) and each site's part (`parts`: those read already);
    nothing scanned or parsed."""
    parts = parts or {}
    chunks = list(hub_chunks.items())
    chunks += [(f"{k.slug}/", parts[k.slug] if k.slug in parts else manifest.read_part(output / k.slug, f"{k.slug}/"))
               for k in config.kims if not k.external]
    return chunks


@dataclass
class ProvinceReport:
    regencies: list[tuple[str, BuildReport]]
    hub_files: int = 0
    seconds: float = 0.0

    @property
    def reports(self) -> list[BuildReport]:
        return [report for _slug, report in self.regencies]


def build_province(province: ProvinceConfig, options: BuildOptions, progress: Progress | None = None,
                   step: Callable[..., BuildReport] = build) -> ProvinceReport:
    """Every regency into <output>/<slug>/ (`step`: build, or merge its shards), then the province hub."""
    from kimsite.hub import province as province_hub

    started = time.perf_counter()
    output = (options.output_dir or province.output_dir).resolve()
    for _slug, config in province.regencies:
        whole = dataclasses.replace(config, path=province.path)
        plan.check_output(whole, output, whole.root / CACHE_DIR, options.force)
    built = []
    for slug, config in province.regencies:
        built.append((slug, config, step(config, replace(options, output_dir=output / slug), progress)))
    if options.shard:
        return ProvinceReport([(slug, report) for slug, _c, report in built], 0, time.perf_counter() - started)
    whole = {slug: whole_results(report.results, output / slug) for slug, _c, report in built}
    posts_by_kim = {r.kim: r.posts for results in whole.values() for r in results}
    summaries = [province_hub.summarise(slug, config, {r.kim: r.posts for r in whole[slug]})
                 for slug, config, _report in built]
    staging = fresh_dir(output / ".kimsite-tmp" / "_province")
    card = lambda hub, writer: cards.write_hub_card(hub, hub.root / CACHE_DIR, writer.write, [])  # noqa: E731
    files = province_hub.write_province_hub(province, summaries, posts_by_kim, options.build_time.date(), staging, card)
    publish_tree(staging, output, keep=frozenset(slug for slug, _c in province.regencies))
    shutil.rmtree(output / ".kimsite-tmp")
    return ProvinceReport([(slug, report) for slug, _c, report in built], files, time.perf_counter() - started)


def check(config: SiteConfig, options: BuildOptions, progress: Progress | None = None) -> BuildReport:
    """All validation (config, profiles, every post); writes nothing."""
    started = time.perf_counter()
    found, problems = load_profiles(config)
    problems += owners.stale_codeowners(config)
    if options.changed is not None:
        problems += owners.foreign_changes(config, list(options.changed), options.changed_from)
    jobs = make_jobs(config, found, options)
    with started_jobs(worker.check_site, jobs, worker_count(config, options, len(jobs))) as checked:
        results = _collect(checked, len(jobs), progress)
    return BuildReport(results, problems, 0, time.perf_counter() - started)


__all__ = ["BuildOptions", "BuildReport", "build", "check"]
