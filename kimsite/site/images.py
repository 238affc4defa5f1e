"""Photos for the web: the only importer of PIL.

Camera originals are decoded at a reduced scale (JPEG draft mode), turned upright by
their EXIF orientation, stripped of every metadata block (GPS included) and written as
WebP and JPEG at a few widths, plus one 1200x630 share image for WhatsApp previews.
Results are cached by content hash: an unchanged photo is never encoded twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from kimsite.errors import Problem, Text
from kimsite.models import PhotoSet, Variant
from kimsite.site.cards import CardSpec
from kimsite.site.picture import THUMB_SIZE, share_path, thumb_path

Target = Callable[[str], Path]  # site-relative path → where to write it (guarded)


@dataclass(frozen=True)
class ImagePolicy:
    widths: tuple[int, ...] = (360, 720, 1080)
    fallback_width: int = 720
    jpeg_quality: int = 68
    webp_quality: int = 62
    webp_method: int = 4
    share_size: tuple[int, int] = (1200, 630)
    share_max_bytes: int = 60_000
    # a list's thumbnail: 20 of them (the hub's page) and the page's 14 KB stay within 60 KB
    thumb_size: tuple[int, int] = THUMB_SIZE
    thumb_max_bytes: int = 2_300
    logo_size: int = 80  # the header shows the logo at 40 CSS px: 2x for sharp screens
    logo_max_bytes: int = 3_000

    @property
    def key(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


class ImageProblem(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.render())
        self.problem = problem


MAX_PIXELS = 40_000_000  # 40 MP: a phone camera's largest photo; a larger one is refused before decoding
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard stays on for decoding


def _header(source: Path) -> Image.Image:
    """Open without decoding: Pillow's guard is lifted for the header only, so that an image too
    large is told by its size (kimsite checks it next) rather than by an exception."""
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(source)
    finally:
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _unreadable(shown: str) -> ImageProblem:
    return ImageProblem(Problem(shown, Text("foto tidak dapat dibaca (bukan JPEG, PNG, WebP atau GIF, atau rusak)",
                                            "photo cannot be read (not a JPEG, PNG, WebP or GIF, or damaged)"),
                                Text("simpan ulang sebagai JPEG atau PNG", "save it again as JPEG or PNG")))


def _open(source: Path, shown: str, largest: int) -> Image.Image:
    try:
        image = _header(source)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageProblem(Problem(shown, Text(
                f"gambar terlalu besar: {width} × {height} piksel, batas {MAX_PIXELS // 1_000_000} MP",
                f"image too large: {width} × {height} pixels, limit {MAX_PIXELS // 1_000_000} MP"),
                Text("kecilkan foto (misalnya 4000 × 3000) lalu simpan lagi",
                     "make it smaller (e.g. 4000 × 3000) and save it again")))
        image.draft("RGB", (largest, largest))  # JPEG: decode at 1/2, 1/4 or 1/8 scale when large
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError, SyntaxError):
        raise _unreadable(shown) from None
    return ImageOps.exif_transpose(image)


def _encode(image: Image.Image, fmt: str, policy: ImagePolicy, quality: int | None = None) -> bytes:
    out = io.BytesIO()  # saved without exif/icc/xmp: Pillow writes only what it is given
    if fmt == "WEBP":
        image.save(out, "WEBP", quality=quality or policy.webp_quality, method=policy.webp_method)
    else:
        image.save(out, "JPEG", quality=quality or policy.jpeg_quality, optimize=True, progressive=True)
    return out.getvalue()


def _resized(image: Image.Image, width: int) -> Image.Image:
    if width >= image.width:
        return image
    return image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)


def share_image(image: Image.Image, policy: ImagePolicy) -> bytes:
    """Centre crop to 1200x630, JPEG quality lowered until it fits the byte limit."""
    fitted = ImageOps.fit(image, policy.share_size, Image.Resampling.LANCZOS)
    data = b""
    for quality in (72, 62, 52, 42, 32):
        data = _encode(fitted, "JPEG", policy, quality)
        if len(data) <= policy.share_max_bytes:
            break
    return data


def thumbnail(image: Image.Image, policy: ImagePolicy) -> bytes:
    """Cover-cropped to the thumbnail size, WebP quality lowered until it fits its byte limit."""
    fitted = ImageOps.fit(image, policy.thumb_size, Image.Resampling.LANCZOS)
    data = b""
    for quality in (60, 50, 40, 30):
        data = _encode(fitted, "WEBP", policy, quality)
        if len(data) <= policy.thumb_max_bytes:
            break
    return data


def encode_photo_set(source: Path, shown: str, policy: ImagePolicy, share: bool) -> dict[str, bytes]:
    """{name: bytes}: 'w<W>.webp', 'w<W>.jpg' for each width; for a lead photo (`share`) also
    'share.jpg' and 'thumb.webp'; no upscaling but for those two, which have fixed sizes."""
    image = _open(source, shown, max(policy.widths) * 2).convert("RGB")
    files: dict[str, bytes] = {}
    for width in sorted({min(w, image.width) for w in policy.widths}):
        scaled = _resized(image, width)
        files[f"w{scaled.width}x{scaled.height}.webp"] = _encode(scaled, "WEBP", policy)
        files[f"w{scaled.width}x{scaled.height}.jpg"] = _encode(scaled, "JPEG", policy)
    if share:
        files["share.jpg"] = share_image(image, policy)
        files["thumb.webp"] = thumbnail(image, policy)
    return files


def _cache_folder(source: Path, cache_dir: Path, policy: ImagePolicy, kind: str,
                  encode: Callable[[], dict[str, bytes]]) -> Path:
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    folder = cache_dir / "images" / f"{digest}-{kind}-{policy.key}"
    if not (folder / "done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in encode().items():
            (folder / name).write_bytes(data)
        (folder / "done").write_text(json.dumps(sorted(p.name for p in folder.iterdir())))
    return folder


def _variants(folder: Path, ext: str) -> list[tuple[int, int, Path]]:
    found = []
    for path in folder.glob(f"w*.{ext}"):
        width, height = path.stem[1:].split("x")
        found.append((int(width), int(height), path))
    return sorted(found)


def write_photo_set(source: Path, shown: str, output_path: str, target: Target, cache_dir: Path,
                    policy: ImagePolicy, share: bool) -> PhotoSet:
    """Write every web copy of one photo; `output_path` ('foto/x-hash.jpg') is the fallback JPEG."""
    folder = _cache_folder(source, cache_dir, policy, "photo" + ("-share" if share else ""),
                           lambda: encode_photo_set(source, shown, policy, share))
    stem = output_path.removesuffix(".jpg")
    jpegs = _variants(folder, "jpg")
    fallback_width = max((w for w, _h, _p in jpegs if w <= policy.fallback_width), default=jpegs[0][0])
    sets: dict[str, list[Variant]] = {"webp": [], "jpg": []}
    fallback = None
    for ext in ("webp", "jpg"):
        for width, height, path in _variants(folder, ext):
            name = output_path if (ext == "jpg" and width == fallback_width) else f"{stem}-{width}.{ext}"
            shutil.copyfile(path, target(name))
            sets[ext].append(Variant(name, width, height))
            if name == output_path:
                fallback = sets[ext][-1]
    shared = thumb = None
    if share:
        shutil.copyfile(folder / "share.jpg", target(share_path(output_path)))
        shared = Variant(share_path(output_path), *policy.share_size)
        shutil.copyfile(folder / "thumb.webp", target(thumb_path(output_path)))
        thumb = Variant(thumb_path(output_path), *policy.thumb_size)
    assert fallback is not None
    return PhotoSet(fallback, tuple(sets["webp"]), tuple(sets["jpg"]), shared, thumb)


def encode_logo(source: Path, shown: str, policy: ImagePolicy) -> dict[str, bytes]:
    """The logo at the size shown (2x), as WebP with its transparency, quality lowered until it
    fits `logo_max_bytes`: a 15 KB file shown at 40 px is 15 KB on every page's first view."""
    image = _open(source, shown, policy.logo_size * 2)
    image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
    image.thumbnail((policy.logo_size, policy.logo_size), Image.Resampling.LANCZOS)
    data = b""
    for quality in (80, 65, 50, 35):
        data = _encode(image, "WEBP", policy, quality)
        if len(data) <= policy.logo_max_bytes:
            break
    return {"logo.webp": data}


def write_logo(source: Path, shown: str, target: Path, cache_dir: Path, policy: ImagePolicy) -> None:
    folder = _cache_folder(source, cache_dir, policy, "logo", lambda: encode_logo(source, shown, policy))
    shutil.copyfile(folder / "logo.webp", target)


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(found: tuple[Path, Path] | None, bold: bool, size: int) -> Font:
    """DejaVu when installed (site.cards.fonts), else Pillow's own font (one weight)."""
    if found is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(found[0 if bold else 1]), size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int, lines: int) -> list[str]:
    """Words into at most `lines` lines of `width` px; the last one cut with an ellipsis."""
    out: list[str] = []
    for word in text.split():
        if out and draw.textlength(f"{out[-1]} {word}", font=font) <= width:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] += " …"
    while out and draw.textlength(out[-1], font=font) > width and len(out[-1]) > 2:
        out[-1] = out[-1][:-3] + "…"
    return out


def _badge(card: Image.Image, spec: CardSpec, found: tuple[Path, Path] | None, box: tuple[int, int, int]) -> None:
    """A white disc with the logo inside, or the initials in the KIM's colour (as the header's badge)."""
    x, y, size = box
    draw = ImageDraw.Draw(card)
    draw.ellipse((x, y, x + size, y + size), fill="white")
    if spec.logo is not None:
        with Image.open(spec.logo) as source:
            logo = ImageOps.exif_transpose(source).convert("RGBA")
        logo.thumbnail((size * 9 // 10, size * 9 // 10), Image.Resampling.LANCZOS)
        card.paste(logo, (x + (size - logo.width) // 2, y + (size - logo.height) // 2), logo)
        return
    font = _font(found, True, size * 2 // 5)
    draw.text((x + size // 2, y + size // 2), spec.badge, fill=spec.colour, font=font, anchor="mm")


def _encode_card(card: Image.Image, max_bytes: int, flat: bool) -> bytes:
    """A flat card (colour, badge, text) as a 64-colour PNG: 10 ms and about 14 KB, where the
    full-colour optimised PNG took 74 ms and 34 KB. A card with a logo keeps its colours when it
    fits, then tries the palette; JPEG is the last resort for a photographic logo."""
    def palette() -> Image.Image:
        return card.quantize(64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)

    for make in ((palette,) if flat else (lambda: card, palette)):
        out = io.BytesIO()
        make().save(out, "PNG", compress_level=6)
        if out.tell() <= max_bytes:
            return out.getvalue()
    data = b""
    for quality in (80, 70, 60, 50):
        out = io.BytesIO()
        card.save(out, "JPEG", quality=quality, optimize=True)
        if (data := out.getvalue()) and len(data) <= max_bytes:
            break
    return data


def draw_card(spec: CardSpec, found: tuple[Path, Path] | None, size: tuple[int, int], max_bytes: int) -> bytes:
    """A share card: the colour as background, the badge on the left, the name, place and footer
    in white on the right. Same spec and fonts, same bytes (no metadata is written)."""
    card = Image.new("RGB", size, spec.colour)
    width, height = size
    _badge(card, spec, found, (90, (height - 300) // 2, 300))
    draw = ImageDraw.Draw(card)
    left, text_width = 450, width - 450 - 70
    title_font, place_font = _font(found, True, 68), _font(found, False, 38)
    title = _wrap(draw, spec.title, title_font, text_width, 3)
    place = _wrap(draw, spec.place, place_font, text_width, 2)
    y = (height - (len(title) * 82 + 24 + len(place) * 50)) // 2
    for line in title:
        draw.text((left, y), line, fill="white", font=title_font)
        y += 82
    y += 24
    for line in place:
        draw.text((left, y), line, fill="white", font=place_font)
        y += 50
    draw.text((left, height - 70), spec.footer, fill="white", font=_font(found, False, 30))
    return _encode_card(card, max_bytes, flat=spec.logo is None)


PACK_WIDTH = 480  # the offline pack's photos: a phone screen's width, small enough for 15 of them in 600 KB
PACK_QUALITY = 50


def pack_photo(web_copy: Path, cache_dir: Path) -> tuple[bytes, int, int]:
    """(WebP bytes, width, height) of a ~480 px copy for the offline pack, made from a web copy
    this pipeline wrote (upright, without metadata: the original is not read again); cached
    by that copy's bytes."""
    data = web_copy.read_bytes()
    folder = cache_dir / "images" / "pack"
    stem = f"{hashlib.sha256(data).hexdigest()}-{PACK_WIDTH}q{PACK_QUALITY}"
    for hit in folder.glob(f"{stem}-*.webp"):
        width, height = hit.stem.rsplit("-", 1)[1].split("x")
        return hit.read_bytes(), int(width), int(height)
    with Image.open(io.BytesIO(data)) as image:
        scaled = _resized(image.convert("RGB"), PACK_WIDTH)
        out = io.BytesIO()
        scaled.save(out, "WEBP", quality=PACK_QUALITY, method=4)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}-{scaled.width}x{scaled.height}.webp"
    temp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temp.write_bytes(out.getvalue())
    temp.replace(target)  # whole or absent: two workers may make the same copy
    return out.getvalue(), scaled.width, scaled.height
