"""Image pipeline benchmark: camera-size photos through kimsite's photo step, cold and cached.

    python bench/images.py [--photos 12] [--megapixels 12]

Makes N synthetic camera photos (4:3, JPEG quality 92, with sensor-like noise so they
weigh what phone photos weigh), then times `images.write_photo_set` on each: cold (an
empty cache: decode with draft mode, orient, strip metadata, WebP + JPEG at 360/720/1080
and the 1200x630 share image) and cached (the same photos again: copies from the cache).
Prints seconds per photo and bytes in/out; results in bench/results/images.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from kimsite.site import images  # noqa: E402


def camera_photo(path: Path, megapixels: float, seed: int) -> None:
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.effect_noise((width, height), 40 + seed).convert("RGB")
    tint = Image.new("RGB", (width, height), (40 + seed * 13 % 180, 120, 90 + seed * 7 % 120))
    photo = Image.blend(Image.blend(base, tint, 0.5), noise, 0.35)
    photo.save(path, quality=92)


def run(folder: Path, cache: Path, photos: list[Path]) -> tuple[float, int]:
    started, written = time.perf_counter(), 0
    for n, photo in enumerate(photos):
        def target(name: str) -> Path:
            out = folder / name
            out.parent.mkdir(parents=True, exist_ok=True)
            return out
        images.write_photo_set(photo, photo.name, f"foto/p{n}.jpg", target, cache, images.ImagePolicy(), True)
    written = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return time.perf_counter() - started, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=12)
    parser.add_argument("--megapixels", type=float, default=12.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        photos = []
        for n in range(args.photos):
            photos.append(work / f"camera-{n}.jpg")
            camera_photo(photos[-1], args.megapixels, n)
        size_in = sum(p.stat().st_size for p in photos)
        cold, out_bytes = run(work / "cold", work / "cache", photos)
        cached, _ = run(work / "cached", work / "cache", photos)
    row = {"photos": args.photos, "megapixels": args.megapixels, "input_mb": round(size_in / 1e6, 1),
           "cold_s_per_photo": round(cold / args.photos, 3), "cached_s_per_photo": round(cached / args.photos, 4),
           "output_kb_per_photo": round(out_bytes / 1024 / args.photos, 1),
           "cached_vs_cold": round(cached / cold, 4)}
    for key, value in row.items():
        print(f"{key:22} {value}")
    out = ROOT / "bench" / "results" / "images.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(row, indent=1) + "\n")


if __name__ == "__main__":
    main()
