"""Draw the sample regency's illustrative photos and logos (deterministic, Pillow only).

Run from anywhere:  .venv/bin/python scripts/make_sample_photos.py

For every KIM folder in content/ it writes
  - logo.png (128x128): a coloured circle with the KIM's initials, colour from profile.yaml;
  - every JPEG a post references (front matter `image:` and inline `![..](x.jpg)`):
    a flat, procedurally drawn landscape (1200x800, quality 70) whose scene depends on
    the KIM and whose details depend on a seed derived from the file name;
  - every JPEG a product lists under `photos:` (products/*.md): a still life of
    packages, jars or cloth on a table, drawn the same way.

Two photos carry metadata on purpose, so that the build's metadata stripping is tested:
  - the lead photo of kim-glagah's first post (by file name) has EXIF Make/Model and a
    GPS IFD with the coordinates of Glagah;
  - the lead photo of kim-wates's first post has EXIF Orientation=6 and is stored
    rotated, so that applying the orientation shows it upright.

The same input always gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SIZE = (1200, 800)
QUALITY = 70
LOGO_SIZE = 128

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)
INLINE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*([^)\s]+?\.jpe?g)(?:\s+\"[^\"]*\")?\s*\)", re.I)

# Scene of each sample KIM; anything else gets "fields".
SCENES = {
    "kim-glagah": "coast",
    "kim-jangkaran": "mangrove",
    "kim-wates": "town",
    "kim-sidorejo": "fields",
    "kim-hargotirto": "palms",
    "kim-kalirejo": "reservoir",
    "kim-gerbosari": "tea",
}

GLAGAH_GPS = (-7.9105, 110.0712)  # approx. Glagah, Temon, Kulon Progo


# --------------------------------------------------------------------------- helpers

def seed_of(text: str) -> int:
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def shade(c: tuple[int, int, int], f: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(x * f))) for x in c)  # type: ignore[return-value]


def jitter(rng: random.Random, c: tuple[int, int, int], amount: int = 12) -> tuple[int, int, int]:
    return tuple(max(0, min(255, x + rng.randint(-amount, amount))) for x in c)  # type: ignore[return-value]


def ridge(rng: random.Random, base: float, amp: float, width: int = SIZE[0], step: int = 20) -> list[tuple[int, int]]:
    """A smooth skyline: the sum of a few sines with random phases."""
    waves = [(rng.uniform(0.6, 3.2), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0)) for _ in range(3)]
    total = sum(w[2] for w in waves)
    points = []
    for x in range(0, width + step, step):
        t = x / width
        y = sum(a * math.sin(f * math.tau * t + p) for f, p, a in waves) / total
        points.append((x, round(base - amp * y)))
    return points


def fill_below(draw: ImageDraw.ImageDraw, points: list[tuple[int, int]], color: tuple[int, int, int]) -> None:
    draw.polygon([*points, (SIZE[0], SIZE[1]), (0, SIZE[1])], fill=color)


def sky(draw: ImageDraw.ImageDraw, rng: random.Random, horizon: int) -> tuple[int, int, int]:
    """Vertical gradient sky, a sun and a few clouds; returns the sky's lower colour."""
    mood = rng.choice(["day", "day", "morning", "dusk"])
    top, bottom = {
        "day": ((70, 140, 215), (190, 225, 245)),
        "morning": ((110, 160, 220), (250, 215, 170)),
        "dusk": ((70, 80, 150), (245, 160, 110)),
    }[mood]
    top, bottom = jitter(rng, top, 10), jitter(rng, bottom, 10)
    for y in range(horizon + 1):
        draw.line([(0, y), (SIZE[0], y)], fill=mix(top, bottom, y / max(1, horizon)))
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=bottom)  # under whatever the scene puts below
    sun_x, sun_y = rng.randint(120, 1080), rng.randint(80, max(90, horizon - 120))
    r = rng.randint(34, 60)
    sun = (255, 244, 200) if mood == "day" else (255, 214, 140)
    draw.ellipse([sun_x - r - 14, sun_y - r - 14, sun_x + r + 14, sun_y + r + 14], fill=mix(sun, bottom, 0.55))
    draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=sun)
    for _ in range(rng.randint(2, 5)):
        cx, cy = rng.randint(0, SIZE[0]), rng.randint(40, max(60, horizon - 150))
        cloud = mix((255, 255, 255), bottom, 0.15)
        for _ in range(4):
            w, h = rng.randint(60, 130), rng.randint(24, 44)
            dx, dy = rng.randint(-80, 80), rng.randint(-14, 14)
            draw.ellipse([cx + dx - w, cy + dy - h, cx + dx + w, cy + dy + h], fill=cloud)
    return bottom


def house(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, ground: int, scale: float) -> None:
    w, h = round(rng.randint(70, 110) * scale), round(rng.randint(45, 65) * scale)
    wall = jitter(rng, rng.choice([(236, 226, 200), (214, 196, 160), (230, 230, 225), (198, 214, 190)]), 8)
    roof = jitter(rng, rng.choice([(160, 70, 45), (130, 60, 40), (110, 90, 80)]), 8)
    draw.rectangle([x, ground - h, x + w, ground], fill=wall)
    over = round(14 * scale)
    draw.polygon([(x - over, ground - h), (x + w + over, ground - h), (x + w * 0.72, ground - h - round(38 * scale)),
                  (x + w * 0.28, ground - h - round(38 * scale))], fill=roof)
    dw = max(8, round(16 * scale))
    draw.rectangle([x + w // 2 - dw // 2, ground - round(h * 0.6), x + w // 2 + dw // 2, ground], fill=shade(roof, 0.7))


def round_tree(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, ground: int, scale: float,
               green: tuple[int, int, int]) -> None:
    trunk = round(10 * scale)
    h = round(rng.randint(60, 110) * scale)
    draw.rectangle([x - trunk // 2, ground - h, x + trunk // 2, ground], fill=(95, 70, 45))
    r = round(rng.randint(34, 56) * scale)
    for dx, dy, k in ((-r // 2, 0, 0.9), (r // 2, 0, 0.95), (0, -r // 2, 1.0)):
        top = ground - h + dy
        draw.ellipse([x + dx - r, top - r, x + dx + r, top + r], fill=shade(jitter(rng, green, 8), k))


def palm(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, ground: int, scale: float) -> None:
    h = round(rng.randint(170, 260) * scale)
    lean = rng.randint(-40, 40) * scale
    top = (round(x + lean), ground - h)
    draw.line([(x, ground), top], fill=(120, 95, 65), width=max(3, round(9 * scale)))
    frond = jitter(rng, (45, 110, 50), 10)
    for i in range(7):
        a = math.pi + i * math.pi / 6 + rng.uniform(-0.15, 0.15)
        length = rng.randint(70, 110) * scale
        end = (round(top[0] + math.cos(a) * length), round(top[1] - math.sin(a) * length * 0.55 + length * 0.35))
        mid = (round((top[0] + end[0]) / 2), round(min(top[1], end[1]) - 12 * scale))
        draw.line([top, mid, end], fill=frond, width=max(2, round(7 * scale)), joint="curve")
    r = round(8 * scale)
    draw.ellipse([top[0] - r, top[1] - r // 2, top[0] + r, top[1] + r + r // 2], fill=(110, 85, 40))


def pine(draw: ImageDraw.ImageDraw, rng: random.Random, x: int, ground: int, scale: float) -> None:
    """Cemara udang: a tall slim triangle."""
    h, w = round(rng.randint(110, 170) * scale), round(rng.randint(26, 40) * scale)
    draw.rectangle([x - 3, ground - 20, x + 3, ground], fill=(90, 70, 50))
    draw.polygon([(x, ground - h), (x - w, ground - 12), (x + w, ground - 12)], fill=jitter(rng, (40, 95, 60), 8))


# --------------------------------------------------------------------------- scenes

def scene_coast(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(330, 400)
    low = sky(draw, rng, horizon)
    sea = jitter(rng, (40, 110, 160), 10)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=sea)
    for i in range(6):
        y = horizon + 20 + i * 28 + rng.randint(-6, 6)
        x = rng.randint(-100, 300)
        while x < SIZE[0]:
            draw.line([(x, y), (x + rng.randint(60, 160), y)], fill=mix(sea, low, 0.35), width=3)
            x += rng.randint(180, 320)
    if rng.random() < 0.6:  # a plane from the airport
        px, py = rng.randint(150, 1000), rng.randint(90, horizon - 120)
        body = (235, 238, 242)
        draw.polygon([(px, py), (px + 90, py - 8), (px + 100, py - 4), (px + 90, py + 2)], fill=body)
        draw.polygon([(px + 40, py - 3), (px + 62, py - 3), (px + 30, py + 22)], fill=body)
        draw.polygon([(px + 4, py - 1), (px + 14, py - 1), (px - 6, py - 20)], fill=body)
    sand = jitter(rng, (222, 198, 150), 8)
    fill_below(draw, ridge(rng, horizon + 170, 40), sand)
    fill_below(draw, ridge(rng, horizon + 260, 50), shade(sand, 0.9))
    for _ in range(rng.randint(4, 9)):
        pine(draw, rng, rng.randint(20, 1180), rng.randint(horizon + 190, SIZE[1] - 40), rng.uniform(0.7, 1.2))
    fill_below(draw, ridge(rng, SIZE[1] - 60, 20), shade(sand, 0.82))


def scene_mangrove(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(380, 440)
    low = sky(draw, rng, horizon)
    fill_below(draw, ridge(rng, horizon - 20, 25), mix((90, 130, 120), low, 0.4))
    water = jitter(rng, (70, 120, 115), 10)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=water)
    for i in range(8):
        y = horizon + 30 + i * 45
        draw.line([(rng.randint(0, 400), y), (rng.randint(700, 1200), y)], fill=mix(water, low, 0.25), width=2)
    for _ in range(rng.randint(7, 12)):
        x, base = rng.randint(-40, 1240), rng.randint(horizon + 30, horizon + 160)
        scale = rng.uniform(0.7, 1.3)
        for k in range(5):  # stilt roots
            a = -0.9 + k * 0.45
            draw.line([(x, base - round(60 * scale)), (round(x + math.sin(a) * 55 * scale), base + 10)],
                      fill=(85, 65, 45), width=4)
        green = jitter(rng, (35, 95, 55), 10)
        for _ in range(4):
            dx, dy, r = rng.randint(-50, 50), rng.randint(-40, 0), round(rng.randint(40, 65) * scale)
            cy = base - round(100 * scale) + dy
            draw.ellipse([x + dx - r, cy - r, x + dx + r, cy + r], fill=shade(green, rng.uniform(0.85, 1.05)))
    if rng.random() < 0.7:  # bamboo boardwalk
        y = rng.randint(600, 700)
        draw.rectangle([0, y, SIZE[0], y + 16], fill=(170, 130, 80))
        for x in range(20, SIZE[0], 90):
            draw.rectangle([x, y + 16, x + 8, y + 70], fill=(130, 95, 55))
        draw.line([(0, y - 30), (SIZE[0], y - 30)], fill=(150, 110, 65), width=5)


def scene_town(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(420, 480)
    low = sky(draw, rng, horizon)
    fill_below(draw, ridge(rng, horizon - 70, 40), mix((90, 120, 110), low, 0.45))
    x = rng.randint(-40, 0)
    while x < SIZE[0]:
        w, h = rng.randint(90, 180), rng.randint(90, 230)
        wall = jitter(rng, rng.choice([(225, 215, 190), (200, 210, 220), (235, 200, 170), (210, 220, 200)]), 10)
        draw.rectangle([x, horizon - h, x + w, horizon + 40], fill=wall)
        if rng.random() < 0.6:
            draw.polygon([(x - 8, horizon - h), (x + w + 8, horizon - h), (x + w // 2, horizon - h - 40)],
                         fill=jitter(rng, (150, 70, 50), 10))
        for wy in range(horizon - h + 20, horizon + 10, 45):
            for wx in range(x + 15, x + w - 25, 38):
                draw.rectangle([wx, wy, wx + 20, wy + 24], fill=shade(wall, 0.6))
        x += w + rng.randint(4, 30)
    road = (95, 95, 100)
    draw.rectangle([0, horizon + 40, SIZE[0], SIZE[1]], fill=(120, 150, 95))
    draw.polygon([(520, horizon + 40), (680, horizon + 40), (1000, SIZE[1]), (200, SIZE[1])], fill=road)
    for i in range(5):
        y0 = horizon + 60 + i * 60
        draw.line([(600, y0), (600, y0 + 30)], fill=(240, 240, 230), width=4 + i * 2)
    for _ in range(rng.randint(3, 6)):
        side = rng.choice([rng.randint(20, 300), rng.randint(900, 1180)])
        round_tree(draw, rng, side, rng.randint(horizon + 120, SIZE[1] - 30), rng.uniform(0.9, 1.4), (60, 125, 60))


def scene_fields(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(360, 430)
    low = sky(draw, rng, horizon)
    fill_below(draw, ridge(rng, horizon - 40, 45), mix((70, 110, 90), low, 0.45))
    fill_below(draw, ridge(rng, horizon, 12), (110, 150, 80))
    greens = [(120, 170, 70), (150, 185, 80), (100, 150, 60), (190, 180, 80)]
    y, band = horizon + 10, 18
    while y < SIZE[1]:
        color = jitter(rng, rng.choice(greens), 10)
        draw.rectangle([0, y, SIZE[0], y + band], fill=color)
        draw.line([(0, y), (SIZE[0], y)], fill=shade(color, 0.8), width=2)
        y += band
        band = round(band * 1.35)
    for _ in range(rng.randint(2, 4)):
        house(draw, rng, rng.randint(40, 1080), horizon + rng.randint(10, 40), rng.uniform(0.6, 0.9))
    for _ in range(rng.randint(2, 5)):
        palm(draw, rng, rng.randint(20, 1180), horizon + rng.randint(20, 60), rng.uniform(0.5, 0.8))


def scene_palms(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(300, 360)
    low = sky(draw, rng, horizon)
    fill_below(draw, ridge(rng, horizon, 60), mix((80, 120, 100), low, 0.45))
    fill_below(draw, ridge(rng, horizon + 120, 70), jitter(rng, (75, 130, 65), 8))
    fill_below(draw, ridge(rng, horizon + 260, 60), jitter(rng, (95, 150, 70), 8))
    for _ in range(rng.randint(2, 3)):
        house(draw, rng, rng.randint(60, 1050), horizon + rng.randint(250, 300), rng.uniform(0.8, 1.0))
    for _ in range(rng.randint(5, 9)):
        palm(draw, rng, rng.randint(0, 1200), rng.randint(horizon + 280, SIZE[1] - 10), rng.uniform(0.8, 1.3))


def scene_reservoir(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(360, 420)
    low = sky(draw, rng, horizon)
    hills = jitter(rng, (70, 120, 80), 8)
    left = [(0, horizon - 150), (rng.randint(250, 420), horizon - rng.randint(20, 60)), (560, horizon), (0, horizon)]
    right = [(1200, horizon - 170), (rng.randint(800, 950), horizon - rng.randint(20, 60)),
             (620, horizon), (1200, horizon)]
    draw.polygon(left, fill=hills)
    draw.polygon(right, fill=shade(hills, 0.9))
    water = jitter(rng, (80, 140, 175), 10)
    draw.rectangle([0, horizon, SIZE[0], SIZE[1]], fill=water)
    draw.polygon([(p[0], 2 * horizon - p[1]) for p in left], fill=mix(water, hills, 0.35))
    draw.polygon([(p[0], 2 * horizon - p[1]) for p in right], fill=mix(water, hills, 0.3))
    for i in range(6):
        y = horizon + 25 + i * 30
        draw.line([(rng.randint(200, 500), y), (rng.randint(600, 1000), y)], fill=mix(water, low, 0.4), width=2)
    fill_below(draw, ridge(rng, horizon + 210, 18), jitter(rng, (100, 150, 70), 8))
    for _ in range(rng.randint(4, 7)):
        round_tree(draw, rng, rng.randint(0, 1200), rng.randint(horizon + 260, SIZE[1] - 20), rng.uniform(1.0, 1.6),
                   (55, 105, 45))


def scene_tea(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    horizon = rng.randint(280, 340)
    low = sky(draw, rng, horizon)
    peak = rng.randint(300, 900)
    draw.polygon([(peak - 420, horizon + 40), (peak, horizon - rng.randint(120, 180)), (peak + 420, horizon + 40)],
                 fill=mix((80, 110, 110), low, 0.5))
    fill_below(draw, ridge(rng, horizon + 40, 30), mix((70, 120, 90), low, 0.3))
    tea = jitter(rng, (70, 140, 60), 8)
    fill_below(draw, ridge(rng, horizon + 150, 50), tea)
    phase, gap = rng.uniform(0, math.tau), 26
    for row in range(20):  # curved rows of tea bushes
        base = horizon + 170 + row * gap
        gap = round(gap * 1.06)
        points = [(x, round(base + 22 * math.sin(x / 180 + phase) + row * 3)) for x in range(0, SIZE[0] + 40, 40)]
        draw.line(points, fill=shade(tea, 0.75), width=max(3, gap // 3), joint="curve")
    for _ in range(rng.randint(2, 4)):  # shade trees
        round_tree(draw, rng, rng.randint(0, 1200), rng.randint(horizon + 200, SIZE[1] - 40), rng.uniform(0.8, 1.3),
                   (50, 100, 50))


DRAWERS = {
    "coast": scene_coast,
    "mangrove": scene_mangrove,
    "town": scene_town,
    "fields": scene_fields,
    "palms": scene_palms,
    "reservoir": scene_reservoir,
    "tea": scene_tea,
}


def draw_photo(kim: str, name: str) -> Image.Image:
    rng = random.Random(seed_of(f"{kim}/{name}"))
    image = Image.new("RGB", SIZE, (255, 255, 255))
    DRAWERS[SCENES.get(kim, "fields")](ImageDraw.Draw(image), rng)
    return image


# --------------------------------------------------------------------------- products

def draw_product(kim: str, name: str) -> Image.Image:
    """A table, a wall and a few packages or a folded cloth: an illustrative product shot."""
    rng = random.Random(seed_of(f"product/{kim}/{name}"))
    image = Image.new("RGB", SIZE, jitter(rng, (236, 228, 214), 10))
    draw = ImageDraw.Draw(image)
    table = jitter(rng, (150, 105, 70), 12)
    draw.rectangle([0, 520, SIZE[0], SIZE[1]], fill=table)
    for y in range(540, SIZE[1], 38):  # wood grain
        draw.line([(0, y), (SIZE[0], y + rng.randint(-6, 6))], fill=shade(table, 0.9), width=2)
    label = jitter(rng, rng.choice([(190, 60, 40), (40, 110, 70), (50, 80, 150), (200, 150, 40)]), 15)
    if rng.random() < 0.35:  # folded cloth with a repeating motif
        cloth = jitter(rng, (120, 50, 30), 15)
        draw.rectangle([260, 330, 940, 600], fill=cloth)
        for x in range(280, 930, 60):
            for y in range(350, 590, 60):
                draw.ellipse([x, y, x + 30, y + 30], outline=label, width=5)
        return image
    for _ in range(rng.randint(2, 4)):
        x, w, h = rng.randint(120, 860), rng.randint(160, 240), rng.randint(220, 340)
        body = jitter(rng, (225, 200, 150), 15)
        draw.rounded_rectangle([x, 560 - h, x + w, 560], radius=18, fill=body, outline=shade(body, 0.7), width=4)
        draw.rectangle([x + 18, 560 - h * 0.65, x + w - 18, 560 - h * 0.3], fill=label)
        draw.ellipse([x + w // 2 - 22, 560 - h * 0.6, x + w // 2 + 22, 560 - h * 0.6 + 44], fill=(245, 240, 225))
    return image


def make_products(kim_dir: Path) -> int:
    made = 0
    for source in sorted((kim_dir / "products").glob("*.md")):
        match = FRONT_MATTER.match(source.read_text(encoding="utf-8"))
        meta = (yaml.safe_load(match[1]) if match else None) or {}
        for name in meta.get("photos") or []:
            target = (source.parent / name).resolve()
            if target.is_relative_to(kim_dir.resolve()):
                save_jpeg(draw_product(kim_dir.name, name), target)
                made += 1
    return made


# --------------------------------------------------------------------------- metadata on purpose

def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 2)
    return Fraction(degrees), Fraction(minutes), Fraction(seconds).limit_denominator(100)


def gps_exif() -> Image.Exif:
    lat, lon = GLAGAH_GPS
    exif = Image.Exif()
    exif[0x010F] = "ContohKamera"      # Make
    exif[0x0110] = "KIM Cam 1 (contoh)"  # Model
    gps = exif.get_ifd(0x8825)         # GPSInfo IFD, created empty
    gps[0x0000] = b"\x02\x03\x00\x00"  # GPSVersionID
    gps[0x0001] = "S" if lat < 0 else "N"
    gps[0x0002] = _dms(lat)
    gps[0x0003] = "E" if lon >= 0 else "W"
    gps[0x0004] = _dms(lon)
    return exif


def orientation_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    return exif


# --------------------------------------------------------------------------- scanning content

def referenced_photos(posts: Path) -> list[tuple[Path, str]]:
    """(post, photo file name) for every JPEG the posts reference, in file-name order."""
    refs = []
    for post in sorted(posts.glob("*.md")):
        text = post.read_text(encoding="utf-8")
        match = FRONT_MATTER.match(text)
        meta = (yaml.safe_load(match[1]) if match else None) or {}
        body = text[match.end():] if match else text
        if isinstance(meta.get("image"), str):
            refs.append((post, meta["image"]))
        refs.extend((post, name) for name in INLINE_IMAGE.findall(body) if "://" not in name)
    return refs


def first_lead_photo(posts: Path) -> str | None:
    for post in sorted(posts.glob("*.md")):
        match = FRONT_MATTER.match(post.read_text(encoding="utf-8"))
        meta = (yaml.safe_load(match[1]) if match else None) or {}
        if isinstance(meta.get("image"), str):
            return meta["image"]
    return None


def initials(name: str) -> str:
    words = [w for w in re.split(r"\s+", name.strip()) if w and w.upper() != "KIM"]
    return "".join(w[0] for w in words[:2]).upper() or "KIM"


def hex_color(value: str | None) -> tuple[int, int, int]:
    value = value if isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value) else "#1d6b4f"
    return tuple(int(value[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def draw_logo(name: str, color: tuple[int, int, int]) -> Image.Image:
    scale = 4  # drawn large, scaled down for smooth edges
    big = LOGO_SIZE * scale
    image = Image.new("RGBA", (big, big), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    pad = 2 * scale
    draw.ellipse([pad, pad, big - pad, big - pad], fill=(*color, 255))
    ring = 9 * scale
    draw.ellipse([ring, ring, big - ring, big - ring], outline=(255, 255, 255, 230), width=2 * scale)
    font = ImageFont.load_default(size=48 * scale)
    text = initials(name)
    box = draw.textbbox((0, 0), text, font=font)
    x = (big - (box[2] - box[0])) / 2 - box[0]
    y = (big - (box[3] - box[1])) / 2 - box[1] - 6 * scale
    draw.text((x, y), text, font=font, fill=(255, 255, 255, 255))
    small = ImageFont.load_default(size=13 * scale)
    box = draw.textbbox((0, 0), "KIM", font=small)
    draw.text(((big - (box[2] - box[0])) / 2 - box[0], big - 36 * scale), "KIM", font=small, fill=(255, 255, 255, 220))
    return image.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------- main

def save_jpeg(image: Image.Image, target: Path, exif: Image.Exif | None = None) -> None:
    options = {"quality": QUALITY, "optimize": True}
    if exif is not None:
        options["exif"] = exif
    image.save(target, "JPEG", **options)


def make_kim(kim_dir: Path) -> tuple[int, int]:
    kim = kim_dir.name
    profile = yaml.safe_load((kim_dir / "profile.yaml").read_text(encoding="utf-8")) or {}
    logos = 0
    if profile.get("logo"):
        target = kim_dir / profile["logo"]
        draw_logo(str(profile.get("name", kim)), hex_color(profile.get("color"))).save(target, "PNG", optimize=True)
        logos = 1
    posts = kim_dir / "posts"
    if not posts.is_dir():
        return logos, make_products(kim_dir)
    first = first_lead_photo(posts)
    written: set[str] = set()
    for _post, name in referenced_photos(posts):
        if name in written:
            continue
        target = (posts / name).resolve()
        if not target.is_relative_to(kim_dir.resolve()):
            print(f"skipped {kim}/{name}: outside the KIM folder", file=sys.stderr)
            continue
        image = draw_photo(kim, name)
        if kim == "kim-glagah" and name == first:
            save_jpeg(image, target, gps_exif())
        elif kim == "kim-wates" and name == first:
            # stored rotated 90° counter-clockwise; Orientation=6 turns it back upright
            save_jpeg(image.transpose(Image.Transpose.ROTATE_90), target, orientation_exif())
        else:
            save_jpeg(image, target)
        written.add(name)
    return logos, len(written) + make_products(kim_dir)


def main() -> int:
    logos = photos = 0
    for kim_dir in sorted(p for p in CONTENT.iterdir() if (p / "profile.yaml").is_file()):
        made = make_kim(kim_dir)
        logos += made[0]
        photos += made[1]
        print(f"{kim_dir.name}: {made[0]} logo, {made[1]} photos")
    print(f"{logos} logos, {photos} photos written under {CONTENT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
