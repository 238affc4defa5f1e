"""Photos for the web: the only importer of PIL.

Camera originals are re-encoded: EXIF orientation applied, every metadata block
(GPS included) dropped, width capped. Results are cached by content hash, so an
unchanged photo is never encoded twice.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from kimsite.errors import Problem, Text


@dataclass(frozen=True)
class ImagePolicy:
    max_width: int = 1280
    jpeg_quality: int = 72
    logo_size: int = 192

    @property
    def key(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


class ImageProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.render())
        self.problem = problem


def _open(source: Path, shown: str) -> Image.Image:
    try:
        image = Image.open(source)
        image.draft("RGB", (4096, 4096))  # JPEG: decode at a reduced scale when large
        image.load()
    except (UnidentifiedImageError, OSError) as err:
        raise ImageProblem(Problem(shown, Text(f"foto tidak dapat dibaca ({err})", f"photo cannot be read ({err})"),
                                   Text("simpan ulang sebagai JPEG atau PNG",
                                        "save it again as JPEG or PNG"))) from None
    return ImageOps.exif_transpose(image)


def encode_photo(source: Path, shown: str, policy: ImagePolicy) -> bytes:
    """A JPEG no wider than the policy allows, with no metadata at all."""
    image = _open(source, shown).convert("RGB")
    if image.width > policy.max_width:
        height = round(image.height * policy.max_width / image.width)
        image = image.resize((policy.max_width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=policy.jpeg_quality, optimize=True, progressive=True)
    return out.getvalue()


def encode_logo(source: Path, shown: str, policy: ImagePolicy) -> bytes:
    image = _open(source, shown)
    image.thumbnail((policy.logo_size, policy.logo_size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _cached(source: Path, kind: str, cache_dir: Path, policy: ImagePolicy, encode) -> Path:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    cached = cache_dir / "images" / f"{digest}-{kind}-{policy.key}"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        temp = cached.with_suffix(".tmp")
        temp.write_bytes(encode())
        temp.replace(cached)
    return cached


def write_photo(source: Path, shown: str, target: Path, cache_dir: Path, policy: ImagePolicy) -> tuple[int, int]:
    """Write the web copy of a photo; return its (width, height)."""
    cached = _cached(source, "photo", cache_dir, policy, lambda: encode_photo(source, shown, policy))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    with Image.open(cached) as image:  # reads the header only
        return image.size


def write_logo(source: Path, shown: str, target: Path, cache_dir: Path, policy: ImagePolicy) -> None:
    cached = _cached(source, "logo", cache_dir, policy, lambda: encode_logo(source, shown, policy))
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
