"""The photos of an imported post, downloaded beside it (`posts/<post>-1.jpg`).

Each photo within a size cap and a timeout (`read.remote`), all of them within a total
budget; only JPEG, PNG, GIF and WebP files (by their first bytes, not their names). They are
re-encoded without metadata by the build's photo step, like every writer's photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urljoin

from kimsite.errors import Text
from kimsite.read import remote

_MAGIC = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


def image_type(data: bytes) -> str | None:
    """The file type of a photo by its first bytes, or None for anything else."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((ext for magic, ext in _MAGIC if data.startswith(magic)), None)


@dataclass
class PhotoFetcher:
    """Downloads photos for one import run; each URL at most once."""

    policy: remote.FetchPolicy
    budget: int  # bytes, for every photo of the run
    base_url: str = ""  # the old blog: relative photo addresses are resolved against it
    spent: int = 0
    fetched: int = 0
    failed: list[tuple[str, Text]] = field(default_factory=list)
    _seen: dict[str, Path | None] = field(default_factory=dict)

    def get(self, url: str, folder: Path, stem: str) -> Path | None:
        """The photo saved as `folder/stem.<ext>`, or None (the reason is in `failed`)."""
        url = urljoin(self.base_url, url) if self.base_url else url
        if url in self._seen:
            return self._seen[url]
        self._seen[url] = path = self._download(url, folder, stem)
        return path

    def _download(self, url: str, folder: Path, stem: str) -> Path | None:
        left = self.budget - self.spent
        if left <= 0:
            self.failed.append((url, Text("anggaran total unduhan foto habis", "the total photo budget is spent")))
            return None
        try:
            got = remote.fetch(url, replace(self.policy, max_bytes=min(self.policy.max_bytes, left)))
        except remote.FetchError as err:
            self.failed.append((url, err.reason))
            return None
        kind = image_type(got.body)
        if kind is None:
            self.failed.append((url, Text("bukan foto JPEG, PNG, GIF atau WebP", "not a JPEG, PNG, GIF or WebP photo")))
            return None
        path = folder / f"{stem}.{kind}"
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(got.body)
        self.spent += len(got.body)
        self.fetched += 1
        return path
