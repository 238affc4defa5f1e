"""The last good versions: a post, product, event, page or aspirasi log that breaks after it
was published stays live as it was while the writer fixes it (the error is still reported).

They are kept in the build cache (`last-good/<kim>.pickle`, `<kim>-extras.pickle`) with the
project folder they were read in, so a project that moves (a CI cache restored elsewhere)
keeps them; and they are the build's record of what was published, which tells when a post
changed without an `updated:` date.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kimsite import cachefile
from kimsite.errors import Problem, Severity, Text, display_path
from kimsite.models import Event, Extras, Post, Product, SiteJob, StaticPage
from kimsite.read import content, extras


def _last_good_path(job: SiteJob) -> Path:
    return job.cache_dir / "last-good" / f"{job.kim.slug}.pickle"


def _read_last_good(path: Path, root: Path) -> dict:
    """The last good versions kept in the build cache; none when there are none yet (or they
    were kept by a kimsite whose classes no longer read them). Kept with the project folder
    they were read in: when the project has moved since (a CI cache restored elsewhere), their
    file paths are moved along."""
    kept = cachefile.read(path)
    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict)):
        return {}
    then, items = kept
    if then == str(root):
        return items
    return {name: _moved(item, Path(then), root) for name, item in items.items()}


def _write_last_good(path: Path, root: Path, items: dict) -> None:
    cachefile.write(path, (str(root), items))


def _moved(item: object, then: Path, now: Path) -> object:
    """A kept post, product, event or page with its paths under `then` moved under `now`."""
    def move(path: Path) -> Path:
        return now / path.relative_to(then) if path.is_relative_to(then) else path

    def refs(images: tuple) -> tuple:
        return tuple(dataclasses.replace(ref, source=move(ref.source)) for ref in images)

    if not dataclasses.is_dataclass(item) or not hasattr(item, "source"):
        return item  # the aspirasi log: no paths
    changes: dict[str, object] = {"source": move(item.source)}
    for name in ("images", "photos"):
        if hasattr(item, name):
            changes[name] = refs(getattr(item, name))
    if getattr(item, "image", None) is not None:
        changes["image"] = dataclasses.replace(item.image, source=move(item.image.source))
    return dataclasses.replace(item, **changes)


def keep_posts(job: SiteJob, loaded: content.PostsResult) -> list[Post]:
    """Posts that are broken now but were published before stay live, as they were.

    The error is still reported (the build fails), but readers lose nothing while the
    writer fixes the file. The last good versions are kept in the build cache.
    """
    path = _last_good_path(job)
    previous: dict[str, Post] = _read_last_good(path, job.root)
    broken = {p.path for p in loaded.problems if p.is_error}
    current = {p.shown_path: p for p in loaded.posts}
    kept = [previous[name] for name in sorted(broken) if name in previous and name not in current
            and previous[name].source.is_file()]
    loaded.problems += _edited_without_date(previous, current, job)
    good = {**{k: v for k, v in previous.items() if k in broken}, **current}
    _write_last_good(path, job.root, good)
    return sorted(loaded.posts + kept, key=lambda p: (p.date, p.slug), reverse=True)


def _edited_without_date(previous: dict[str, Post], current: dict[str, Post], job: SiteJob) -> list[Problem]:
    """A post whose text changed since it was published, with no `updated:` to tell readers so
    (known from the build's own record of the last published versions, not from git)."""
    changed = [post for name, post in current.items() if name in previous and post.updated is None
               and (post.html, post.title) != (previous[name].html, previous[name].title)]
    return [Problem(post.shown_path, Text("isi berita berubah setelah terbit, tanpa tanggal 'updated'",
                                          "the post changed after it was published, with no 'updated' date"),
                    Text("tambahkan 'updated: <tanggal hari ini>' (dan 'ralat:' bila memperbaiki kesalahan)",
                         "add 'updated: <today>' (and 'ralat:' when it corrects a mistake)"),
                    line=1, key="updated", site=job.kim.slug, severity=Severity.WARNING) for post in changed]


def keep_extras(job: SiteJob, loaded: extras.ExtrasResult) -> Extras:
    """Like posts: a product, event or page (or the aspirasi log) that is broken now but was
    published before stays live as it was, while the error is still reported."""
    path = job.cache_dir / "last-good" / f"{job.kim.slug}-extras.pickle"
    previous: dict[str, object] = _read_last_good(path, job.root)
    more, log = loaded.extras, display_path(job.kim_dir / "aspirasi.yaml", job.root)
    current: dict[str, object] = {i.shown_path: i for i in (*more.products, *more.events, *more.pages)}
    if more.aspirations:
        current[log] = more.aspirations
    broken = {p.path for p in loaded.problems if p.is_error}
    kept = {name: previous[name] for name in sorted(broken) if name in previous and name not in current}
    _write_last_good(path, job.root, {**kept, **current})
    if not kept:
        return more
    items = list(kept.values())
    return extras.sort_extras(Extras(
        products=more.products + tuple(i for i in items if isinstance(i, Product) and i.source.is_file()),
        events=more.events + tuple(i for i in items if isinstance(i, Event)),
        aspirations=kept.get(log, more.aspirations),  # type: ignore[arg-type]
        pages=more.pages + tuple(i for i in items if isinstance(i, StaticPage) and i.source.is_file())),
        job.product_categories)
