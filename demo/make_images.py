#!/usr/bin/env python
"""Generate the demo cover / poster images for 科普鄂州 (Kepu Ezhou).

Usage:  /work/main/.venv/bin/python demo/make_images.py

Every image is abstract: a multi-colour gradient background, a few soft
geometric decorations and one white pictogram-like motif per theme.
No text is drawn (no CJK fonts are assumed).  Output is deterministic: all
randomness is seeded from the theme name, so re-running the script produces
byte-identical JPEGs (for a given Pillow version).

Output: demo/images/<theme>.jpg, 960x540, JPEG quality 80.
"""

from __future__ import annotations

import math
import random
import zlib
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 960, 540
S = 2  # supersampling factor
SW, SH = W * S, H * S
OUT = Path(__file__).resolve().parent / "images"

WHITE = (255, 255, 255, 238)
CLEAR = (0, 0, 0, 0)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
def hexrgb(h: str) -> tuple[int, int, int]:
    h = h.lstrip("#")
    return tuple(int(h[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def gradient(colors: list[str]) -> Image.Image:
    """Smooth 4-corner gradient: TL, TR, BL, BR."""
    small = Image.new("RGB", (2, 2))
    small.putdata([hexrgb(c) for c in colors])
    return small.resize((SW, SH), Image.BILINEAR, box=(0.5, 0.5, 1.5, 1.5))


def layer() -> Image.Image:
    return Image.new("RGBA", (SW, SH), CLEAR)


def rot(points, cx, cy, ang):
    ca, sa = math.cos(ang), math.sin(ang)
    return [(cx + (x - cx) * ca - (y - cy) * sa, cy + (x - cx) * sa + (y - cy) * ca) for x, y in points]


def lens(cx, cy, length, width, ang=0.0, n=40):
    """A pointed oval (leaf / petal / eye shape) centred at cx,cy."""
    pts = []
    for i in range(n + 1):
        t = math.pi * i / n
        x = -length / 2 + length * i / n
        y = -math.sin(t) * width / 2
        pts.append((cx + x, cy + y))
    for i in range(n, -1, -1):
        t = math.pi * i / n
        x = -length / 2 + length * i / n
        y = math.sin(t) * width / 2
        pts.append((cx + x, cy + y))
    return rot(pts, cx, cy, ang)


def circle(d, cx, cy, r, **kw):
    d.ellipse((cx - r, cy - r, cx + r, cy + r), **kw)


def thick_line(d, pts, w, fill=WHITE):
    d.line(pts, fill=fill, width=int(w), joint="curve")
    r = w / 2
    for p in (pts[0], pts[-1]):
        circle(d, p[0], p[1], r, fill=fill)


def cloud(d, cx, cy, s, fill=WHITE):
    circle(d, cx - 0.28 * s, cy + 0.02 * s, 0.2 * s, fill=fill)
    circle(d, cx + 0.02 * s, cy - 0.1 * s, 0.27 * s, fill=fill)
    circle(d, cx + 0.3 * s, cy + 0.04 * s, 0.18 * s, fill=fill)
    d.rounded_rectangle((cx - 0.48 * s, cy, cx + 0.48 * s, cy + 0.22 * s), radius=0.11 * s, fill=fill)


def sine(x0, x1, y, amp, period, phase=0.0, step=6):
    return [
        (x, y + amp * math.sin((x - x0) / period * 2 * math.pi + phase))
        for x in range(int(x0), int(x1) + 1, step)
    ]


# --------------------------------------------------------------------------
# motifs: each draws on an RGBA layer, centred at (cx, cy), size s (px)
# --------------------------------------------------------------------------
def m_flood(d, cx, cy, s):
    for i, a in enumerate((238, 190, 140)):
        y = cy - 0.15 * s + i * 0.28 * s
        thick_line(
            d,
            sine(cx - 0.9 * s, cx + 0.9 * s, y, 0.07 * s, 0.45 * s, i * 1.3),
            0.09 * s,
            fill=(255, 255, 255, a),
        )
    # house roof rising above water
    d.polygon([(cx - 0.3 * s, cy - 0.32 * s), (cx, cy - 0.62 * s), (cx + 0.3 * s, cy - 0.32 * s)], fill=WHITE)
    d.rectangle((cx - 0.22 * s, cy - 0.33 * s, cx + 0.22 * s, cy - 0.25 * s), fill=WHITE)


def m_rain(d, cx, cy, s):
    cloud(d, cx, cy - 0.35 * s, 1.1 * s)
    for i in range(-3, 4):
        for j in range(2):
            x = cx + i * 0.16 * s + j * 0.06 * s
            y = cy + 0.05 * s + j * 0.3 * s + (i % 2) * 0.08 * s
            thick_line(d, [(x, y), (x - 0.06 * s, y + 0.17 * s)], 0.045 * s)


def m_typhoon(d, cx, cy, s):
    for arm in range(2):
        pts = []
        for i in range(120):
            t = i / 119 * 2.6 * math.pi
            r = 0.1 * s + 0.11 * s * t
            a = t + arm * math.pi
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a) * 0.92))
        thick_line(d, pts, 0.11 * s - arm * 0.02 * s)
    circle(d, cx, cy, 0.13 * s, fill=WHITE)
    circle(d, cx, cy, 0.055 * s, fill=CLEAR)


def m_sun(d, cx, cy, s):
    circle(d, cx, cy, 0.34 * s, fill=WHITE)
    for i in range(12):
        a = i * math.pi / 6
        r0, r1 = 0.46 * s, (0.72 if i % 2 == 0 else 0.62) * s
        thick_line(
            d,
            [(cx + r0 * math.cos(a), cy + r0 * math.sin(a)), (cx + r1 * math.cos(a), cy + r1 * math.sin(a))],
            0.07 * s,
        )
    circle(d, cx, cy, 0.22 * s, fill=(255, 255, 255, 150))


def m_snow(d, cx, cy, s):
    for i in range(6):
        a = i * math.pi / 3 - math.pi / 2
        ex, ey = cx + 0.7 * s * math.cos(a), cy + 0.7 * s * math.sin(a)
        thick_line(d, [(cx, cy), (ex, ey)], 0.07 * s)
        for k in (0.35, 0.55):
            bx, by = cx + k * s * math.cos(a), cy + k * s * math.sin(a)
            for side in (-1, 1):
                b = a + side * math.pi / 4
                thick_line(
                    d, [(bx, by), (bx + 0.17 * s * math.cos(b), by + 0.17 * s * math.sin(b))], 0.055 * s
                )
    d.regular_polygon((cx, cy, 0.13 * s), 6, fill=WHITE)


def m_quake(d, cx, cy, s):
    # two ground blocks split by a zig-zag crack
    top = cy + 0.05 * s
    crack = [
        (cx - 0.05 * s, top),
        (cx + 0.08 * s, top + 0.12 * s),
        (cx - 0.04 * s, top + 0.24 * s),
        (cx + 0.07 * s, top + 0.4 * s),
    ]
    left = [(cx - 0.9 * s, top + 0.03 * s)] + crack + [(cx - 0.9 * s, top + 0.4 * s)]
    right = (
        [(cx + 0.9 * s, top - 0.03 * s)]
        + [(x + 0.09 * s, y - 0.04 * s) for x, y in crack]
        + [(cx + 0.9 * s, top + 0.36 * s)]
    )
    d.polygon(left, fill=WHITE)
    d.polygon(right, fill=(255, 255, 255, 200))
    # seismograph trace
    pts, x = [], cx - 0.9 * s
    rnd = random.Random(7)  # noqa: S311 - a seeded drawing, nothing secret
    while x <= cx + 0.9 * s:
        k = 1 - min(1, abs(x - cx) / (0.6 * s))
        pts.append((x, cy - 0.35 * s + rnd.uniform(-1, 1) * (0.03 + 0.28 * k) * s))
        x += 0.035 * s
    thick_line(d, pts, 0.035 * s)


def flame(d, cx, cy, s, fill=WHITE, inner=True):
    """Teardrop flame: round bottom, pointed (slightly curled) tip."""
    pts = []
    for i in range(80):
        t = i / 79 * 2 * math.pi
        y = -math.cos(t) * 0.5  # -0.5 (top) .. 0.5 (bottom)
        x = math.sin(t) * 0.38
        if y < 0.2:  # narrow the upper part into a tip
            x *= 0.35 + 0.65 * min(1.0, (y + 0.5) * 1.5)
        x += 0.06 * (0.5 - y) ** 2 * (1 if y < 0 else 0)
        pts.append((cx + x * s, cy + y * s * (1.25 if y < 0 else 0.9)))
    d.polygon(pts, fill=fill)
    if inner:
        pts2 = [(cx + (x - cx) * 0.5, cy + 0.2 * s + (y - cy) * 0.5) for x, y in pts]
        d.polygon(pts2, fill=(255, 255, 255, 120))


def m_forestfire(d, cx, cy, s):
    for dx, sc in ((-0.55, 0.8), (0.55, 0.7), (-0.2, 0.6)):
        x = cx + dx * s
        base = cy + 0.5 * s
        for k in range(3):
            w = (0.32 - k * 0.07) * s * sc / 0.8
            yb = base - 0.12 * s - k * 0.2 * s * sc
            d.polygon([(x - w, yb), (x, yb - 0.32 * s * sc), (x + w, yb)], fill=(255, 255, 255, 200))
        d.rectangle((x - 0.03 * s, base - 0.14 * s, x + 0.03 * s, base), fill=(255, 255, 255, 200))
    flame(d, cx + 0.12 * s, cy + 0.05 * s, 0.75 * s)


def m_fire(d, cx, cy, s):
    flame(d, cx, cy, 1.05 * s)
    d.rounded_rectangle(
        (cx - 0.45 * s, cy + 0.52 * s, cx + 0.45 * s, cy + 0.6 * s), radius=0.04 * s, fill=WHITE
    )


def m_virus(d, cx, cy, s):
    for i in range(10):
        a = i * math.pi / 5 + 0.2
        x0, y0 = cx + 0.38 * s * math.cos(a), cy + 0.38 * s * math.sin(a)
        x1, y1 = cx + 0.6 * s * math.cos(a), cy + 0.6 * s * math.sin(a)
        thick_line(d, [(x0, y0), (x1, y1)], 0.05 * s)
        circle(d, x1, y1, 0.07 * s, fill=WHITE)
    circle(d, cx, cy, 0.42 * s, fill=WHITE)
    for dx, dy, r in ((-0.12, -0.1, 0.08), (0.14, 0.05, 0.06), (-0.02, 0.17, 0.05)):
        circle(d, cx + dx * s, cy + dy * s, r * s, fill=(255, 255, 255, 110))


def m_geo(d, cx, cy, s):
    d.polygon(
        [
            (cx - 0.9 * s, cy + 0.5 * s),
            (cx - 0.15 * s, cy - 0.55 * s),
            (cx + 0.25 * s, cy + 0.0 * s),
            (cx + 0.45 * s, cy - 0.2 * s),
            (cx + 0.9 * s, cy + 0.5 * s),
        ],
        fill=WHITE,
    )
    # slide scar
    d.polygon(
        [
            (cx - 0.1 * s, cy - 0.3 * s),
            (cx + 0.1 * s, cy - 0.1 * s),
            (cx - 0.05 * s, cy + 0.15 * s),
            (cx - 0.25 * s, cy - 0.02 * s),
        ],
        fill=(255, 255, 255, 120),
    )
    for x, y, r, a in ((0.35, 0.38, 0.08, 0.3), (0.52, 0.3, 0.06, 1.0), (0.2, 0.2, 0.05, 0.7)):
        d.regular_polygon((cx + x * s, cy + y * s - 0.55 * s, r * s), 5, rotation=a * 57, fill=WHITE)
    thick_line(d, [(cx + 0.6 * s, cy - 0.45 * s), (cx + 0.78 * s, cy - 0.2 * s)], 0.04 * s)


def m_flask(d, cx, cy, s):
    neck_w, top = 0.13 * s, cy - 0.6 * s
    body = [
        (cx - neck_w, top),
        (cx + neck_w, top),
        (cx + neck_w, cy - 0.15 * s),
        (cx + 0.5 * s, cy + 0.5 * s),
        (cx - 0.5 * s, cy + 0.5 * s),
        (cx - neck_w, cy - 0.15 * s),
    ]
    d.polygon(body, fill=WHITE)
    inner = [
        (cx - 0.25 * s, cy + 0.12 * s),
        (cx + 0.25 * s, cy + 0.12 * s),
        (cx + 0.41 * s, cy + 0.42 * s),
        (cx - 0.41 * s, cy + 0.42 * s),
    ]
    d.polygon(inner, fill=(255, 255, 255, 120))
    d.rounded_rectangle(
        (cx - 0.2 * s, top - 0.08 * s, cx + 0.2 * s, top + 0.02 * s), radius=0.03 * s, fill=WHITE
    )
    for x, y, r in ((0.3, -0.55, 0.06), (0.45, -0.75, 0.04), (0.22, -0.85, 0.035)):
        circle(d, cx + x * s, cy + y * s, r * s, outline=WHITE, width=int(0.02 * s))


def m_shield(d, cx, cy, s):
    pts = [(cx, cy - 0.65 * s), (cx + 0.52 * s, cy - 0.45 * s)]
    for i in range(21):
        t = i / 20
        pts.append((cx + 0.52 * s * (1 - t**1.6), cy - 0.45 * s + t * 1.1 * s + 0.0))
    pts += [(cx - x + cx, y) for x, y in reversed(pts[1:])][:-1]
    d.polygon(pts, fill=WHITE)
    thick_line(
        d,
        [(cx - 0.22 * s, cy), (cx - 0.05 * s, cy + 0.17 * s), (cx + 0.25 * s, cy - 0.17 * s)],
        0.09 * s,
        fill=CLEAR,
    )


def m_rice(d, cx, cy, s):
    for dx, bend in ((-0.3, -0.25), (0.0, 0.15), (0.3, 0.35)):
        stem = []
        for i in range(30):
            t = i / 29
            stem.append((cx + dx * s + bend * s * t * t * 0.8, cy + 0.6 * s - t * 1.1 * s + t * t * 0.25 * s))
        thick_line(d, stem, 0.035 * s)
        for j in range(6, 29, 3):
            x, y = stem[j]
            for side in (-1, 1):
                ang = -math.pi / 2 + side * 0.7 + bend
                gx, gy = x + side * 0.06 * s, y - 0.01 * s
                d.polygon(lens(gx, gy, 0.13 * s, 0.06 * s, ang + math.pi / 2 * 0), fill=WHITE)
    d.polygon(lens(cx - 0.45 * s, cy + 0.35 * s, 0.7 * s, 0.09 * s, -1.0), fill=(255, 255, 255, 170))


def m_lotus(d, cx, cy, s):
    # lily pad
    d.ellipse((cx - 0.85 * s, cy + 0.25 * s, cx + 0.85 * s, cy + 0.6 * s), fill=(255, 255, 255, 120))
    for ang, ln, a in (
        (-0.95, 0.75, 170),
        (-0.55, 0.8, 210),
        (-0.05, 0.85, 238),
        (0.45, 0.8, 210),
        (0.85, 0.75, 170),
    ):
        a_rad = -math.pi / 2 + ang
        px = cx + math.cos(a_rad) * 0.32 * s
        py = cy + 0.3 * s + math.sin(a_rad) * 0.32 * s
        d.polygon(lens(px, py, ln * s, 0.32 * s, a_rad), fill=(255, 255, 255, a))


def m_fish(d, cx, cy, s):
    d.polygon(lens(cx - 0.05 * s, cy, 1.1 * s, 0.6 * s, 0), fill=WHITE)
    d.polygon(
        [
            (cx + 0.42 * s, cy),
            (cx + 0.78 * s, cy - 0.3 * s),
            (cx + 0.7 * s, cy),
            (cx + 0.78 * s, cy + 0.3 * s),
        ],
        fill=WHITE,
    )
    circle(d, cx - 0.38 * s, cy - 0.06 * s, 0.05 * s, fill=CLEAR)
    d.arc(
        (cx - 0.35 * s, cy - 0.28 * s, cx + 0.0 * s, cy + 0.28 * s), -60, 60, fill=CLEAR, width=int(0.03 * s)
    )
    for x, y, r in ((-0.75, -0.3, 0.06), (-0.85, -0.5, 0.045), (-0.78, -0.68, 0.03)):
        circle(d, cx + x * s, cy + y * s, r * s, outline=WHITE, width=int(0.018 * s))


def m_leaf(d, cx, cy, s):
    ang = -math.pi / 4
    d.polygon(lens(cx, cy, 1.25 * s, 0.65 * s, ang), fill=WHITE)
    a = (math.cos(ang), math.sin(ang))
    p0 = (cx - a[0] * 0.7 * s, cy - a[1] * 0.7 * s)
    p1 = (cx + a[0] * 0.5 * s, cy + a[1] * 0.5 * s)
    thick_line(d, [p0, p1], 0.04 * s, fill=CLEAR)
    for t in (-0.3, -0.05, 0.2):
        bx, by = cx + a[0] * t * s, cy + a[1] * t * s
        for side in (-1, 1):
            b = ang - math.pi + side * 0.8
            thick_line(
                d,
                [(bx, by), (bx - math.cos(b) * 0.22 * s * -1, by - math.sin(b) * 0.22 * s * -1)],
                0.025 * s,
                fill=CLEAR,
            )
    thick_line(
        d,
        [(cx - a[0] * 0.62 * s, cy - a[1] * 0.62 * s), (cx - a[0] * 0.85 * s, cy - a[1] * 0.6 * s)],
        0.045 * s,
    )


def gear(d, cx, cy, r, teeth, ang=0.0, fill=WHITE):
    pts = []
    n = teeth * 4
    for i in range(n):
        a = ang + i * 2 * math.pi / n
        rr = r if (i % 4) in (0, 1) else r * 0.8
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)
    circle(d, cx, cy, r * 0.32, fill=CLEAR)


def m_gear(d, cx, cy, s):
    gear(d, cx - 0.25 * s, cy + 0.05 * s, 0.5 * s, 12)
    gear(d, cx + 0.48 * s, cy - 0.32 * s, 0.3 * s, 9, 0.15, fill=(255, 255, 255, 200))


def m_helmet(d, cx, cy, s):
    d.pieslice((cx - 0.55 * s, cy - 0.55 * s, cx + 0.55 * s, cy + 0.55 * s), 180, 360, fill=WHITE)
    d.rounded_rectangle(
        (cx - 0.8 * s, cy - 0.02 * s, cx + 0.8 * s, cy + 0.12 * s), radius=0.06 * s, fill=WHITE
    )
    d.rounded_rectangle(
        (cx - 0.08 * s, cy - 0.62 * s, cx + 0.08 * s, cy - 0.1 * s),
        radius=0.05 * s,
        fill=(255, 255, 255, 150),
    )
    d.arc(
        (cx - 0.4 * s, cy - 0.42 * s, cx + 0.4 * s, cy + 0.38 * s), 200, 250, fill=CLEAR, width=int(0.04 * s)
    )


def heart_pts(cx, cy, s):
    pts = []
    for i in range(120):
        t = i / 120 * 2 * math.pi
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x / 17 * 0.6 * s, cy - y / 17 * 0.6 * s))
    return pts


def m_heart(d, cx, cy, s):
    d.polygon(heart_pts(cx, cy, s), fill=WHITE)
    ecg = [
        (cx - 0.9 * s, cy),
        (cx - 0.3 * s, cy),
        (cx - 0.2 * s, cy - 0.25 * s),
        (cx - 0.05 * s, cy + 0.3 * s),
        (cx + 0.08 * s, cy - 0.15 * s),
        (cx + 0.18 * s, cy),
        (cx + 0.9 * s, cy),
    ]
    thick_line(d, ecg, 0.05 * s, fill=CLEAR)
    thick_line(d, [(cx - 1.1 * s, cy), (cx - 0.62 * s, cy)], 0.05 * s)
    thick_line(d, [(cx + 0.62 * s, cy), (cx + 1.1 * s, cy)], 0.05 * s)


def m_firstaid(d, cx, cy, s):
    d.rounded_rectangle(
        (cx - 0.55 * s, cy - 0.45 * s, cx + 0.55 * s, cy + 0.5 * s), radius=0.12 * s, fill=WHITE
    )
    d.rounded_rectangle(
        (cx - 0.2 * s, cy - 0.6 * s, cx + 0.2 * s, cy - 0.4 * s),
        radius=0.05 * s,
        outline=WHITE,
        width=int(0.05 * s),
    )
    d.rectangle((cx - 0.08 * s, cy - 0.3 * s, cx + 0.08 * s, cy + 0.35 * s), fill=CLEAR)
    d.rectangle((cx - 0.33 * s, cy - 0.055 * s, cx + 0.33 * s, cy + 0.105 * s), fill=CLEAR)


def ring(d, cx, cy, rx, ry, ang, w):
    pts = []
    for i in range(121):
        t = i / 120 * 2 * math.pi
        pts.append((cx + rx * math.cos(t), cy + ry * math.sin(t)))
    d.line(rot(pts, cx, cy, ang), fill=WHITE, width=int(w), joint="curve")


def m_atom(d, cx, cy, s):
    for k in range(3):
        ring(d, cx, cy, 0.78 * s, 0.27 * s, k * math.pi / 3, 0.05 * s)
    circle(d, cx, cy, 0.13 * s, fill=WHITE)
    for k, t in enumerate((0.5, 2.4, 4.4)):
        x, y = 0.78 * s * math.cos(t), 0.27 * s * math.sin(t)
        ((px, py),) = rot([(cx + x, cy + y)], cx, cy, k * math.pi / 3)
        circle(d, px, py, 0.06 * s, fill=WHITE)


def m_rocket(d, cx, cy, s):
    body = [(cx, cy - 0.75 * s)]
    for i in range(1, 20):
        t = i / 19
        body.append((cx + 0.2 * s * math.sin(t * math.pi / 2) ** 0.6, cy - 0.75 * s + t * 0.35 * s))
    body += [(cx + 0.2 * s, cy + 0.35 * s), (cx - 0.2 * s, cy + 0.35 * s)]
    body += [(2 * cx - x, y) for x, y in reversed(body[1:20])]
    d.polygon(body, fill=WHITE)
    d.polygon(
        [
            (cx + 0.2 * s, cy + 0.0 * s),
            (cx + 0.42 * s, cy + 0.35 * s),
            (cx + 0.42 * s, cy + 0.48 * s),
            (cx + 0.2 * s, cy + 0.35 * s),
        ],
        fill=WHITE,
    )
    d.polygon(
        [
            (cx - 0.2 * s, cy + 0.0 * s),
            (cx - 0.42 * s, cy + 0.35 * s),
            (cx - 0.42 * s, cy + 0.48 * s),
            (cx - 0.2 * s, cy + 0.35 * s),
        ],
        fill=WHITE,
    )
    circle(d, cx, cy - 0.25 * s, 0.09 * s, fill=CLEAR)
    flame(d, cx, cy + 0.62 * s, 0.45 * s, fill=(255, 255, 255, 170), inner=False)
    for x, y, r in ((-0.7, -0.5, 0.04), (0.65, -0.62, 0.05), (0.75, 0.2, 0.03), (-0.6, 0.35, 0.035)):
        d.regular_polygon((cx + x * s, cy + y * s, r * s * 1.6), 4, rotation=45, fill=WHITE)


def m_ai(d, cx, cy, s):
    layers = [3, 5, 5, 2]
    nodes = []
    for i, n in enumerate(layers):
        x = cx - 0.75 * s + i * 0.5 * s
        col = [(x, cy + (j - (n - 1) / 2) * 0.27 * s) for j in range(n)]
        nodes.append(col)
    for a, b in pairwise(nodes):
        for p in a:
            for q in b:
                d.line([p, q], fill=(255, 255, 255, 120), width=int(0.012 * s))
    for col in nodes:
        for x, y in col:
            circle(d, x, y, 0.075 * s, fill=WHITE)
            circle(d, x, y, 0.035 * s, fill=(255, 255, 255, 90))


def m_plane(d, cx, cy, s):
    # dashed trajectory arc
    for i in range(0, 14, 2):
        a0, a1 = math.pi * (1.05 + i * 0.05), math.pi * (1.05 + (i + 1) * 0.05)
        d.arc(
            (cx - 0.95 * s, cy - 0.5 * s, cx + 0.95 * s, cy + 1.3 * s),
            math.degrees(a0),
            math.degrees(a1),
            fill=(255, 255, 255, 160),
            width=int(0.03 * s),
        )
    pts = [
        (0, -0.62),
        (0.06, -0.52),
        (0.07, -0.15),
        (0.62, 0.12),
        (0.62, 0.22),
        (0.07, 0.08),
        (0.06, 0.42),
        (0.22, 0.55),
        (0.22, 0.62),
        (0, 0.56),
    ]
    pts = pts + [(-x, y) for x, y in reversed(pts[1:-1])]
    pts = [(cx + x * s, cy + y * s) for x, y in pts]
    d.polygon(rot(pts, cx, cy, 0.75), fill=WHITE)


def m_wetland(d, cx, cy, s):
    for i, a in enumerate((220, 170, 120)):
        y = cy + 0.3 * s + i * 0.15 * s
        thick_line(
            d, sine(cx - 0.9 * s, cx + 0.9 * s, y, 0.03 * s, 0.3 * s, i), 0.04 * s, fill=(255, 255, 255, a)
        )
    for dx, h in ((-0.7, 0.8), (-0.6, 0.65), (-0.5, 0.9), (-0.38, 0.6)):
        x = cx + dx * s
        thick_line(d, [(x, cy + 0.3 * s), (x + 0.04 * s, cy + 0.3 * s - h * s)], 0.025 * s)
        d.rounded_rectangle(
            (x - 0.002 * s, cy + 0.3 * s - h * s - 0.02 * s, x + 0.07 * s, cy + 0.3 * s - h * s + 0.2 * s),
            radius=0.035 * s,
            fill=WHITE,
        )
    for x, y, w in ((0.1, -0.35, 0.22), (0.45, -0.2, 0.17), (0.35, -0.55, 0.13)):
        bx, by = cx + x * s, cy + y * s
        d.arc((bx - w * s, by - 0.1 * s, bx, by + 0.12 * s), 200, 330, fill=WHITE, width=int(0.035 * s))
        d.arc((bx, by - 0.1 * s, bx + w * s, by + 0.12 * s), 210, 340, fill=WHITE, width=int(0.035 * s))


def m_phone(d, cx, cy, s):
    d.rounded_rectangle(
        (cx - 0.33 * s, cy - 0.65 * s, cx + 0.33 * s, cy + 0.65 * s), radius=0.1 * s, fill=WHITE
    )
    d.rounded_rectangle(
        (cx - 0.27 * s, cy - 0.52 * s, cx + 0.27 * s, cy + 0.48 * s), radius=0.03 * s, fill=CLEAR
    )
    circle(d, cx, cy + 0.565 * s, 0.04 * s, fill=CLEAR)
    for i, (w, side) in enumerate(((0.32, -1), (0.26, 1), (0.36, -1))):
        y = cy - 0.38 * s + i * 0.28 * s
        x0 = cx - 0.21 * s if side < 0 else cx + 0.21 * s - w * s
        d.rounded_rectangle((x0, y, x0 + w * s, y + 0.17 * s), radius=0.06 * s, fill=(255, 255, 255, 200))
    # floating bubble
    d.rounded_rectangle(
        (cx + 0.42 * s, cy - 0.55 * s, cx + 0.85 * s, cy - 0.25 * s),
        radius=0.1 * s,
        fill=(255, 255, 255, 170),
    )
    for k in range(3):
        circle(d, cx + (0.53 + k * 0.1) * s, cy - 0.4 * s, 0.03 * s, fill=CLEAR)


def m_eye(d, cx, cy, s):
    d.polygon(lens(cx, cy, 1.6 * s, 0.75 * s, 0), fill=WHITE)
    circle(d, cx, cy, 0.3 * s, fill=CLEAR)
    circle(d, cx, cy, 0.22 * s, fill=(255, 255, 255, 150))
    circle(d, cx, cy, 0.1 * s, fill=CLEAR)
    circle(d, cx + 0.1 * s, cy - 0.1 * s, 0.05 * s, fill=WHITE)


def m_lock(d, cx, cy, s):
    d.arc(
        (cx - 0.32 * s, cy - 0.7 * s, cx + 0.32 * s, cy - 0.0 * s), 180, 360, fill=WHITE, width=int(0.1 * s)
    )
    d.rectangle((cx - 0.32 * s, cy - 0.36 * s, cx - 0.22 * s, cy - 0.05 * s), fill=WHITE)
    d.rectangle((cx + 0.22 * s, cy - 0.36 * s, cx + 0.32 * s, cy - 0.05 * s), fill=WHITE)
    d.rounded_rectangle((cx - 0.5 * s, cy - 0.1 * s, cx + 0.5 * s, cy + 0.6 * s), radius=0.08 * s, fill=WHITE)
    circle(d, cx, cy + 0.17 * s, 0.09 * s, fill=CLEAR)
    d.polygon(
        [
            (cx - 0.04 * s, cy + 0.2 * s),
            (cx + 0.04 * s, cy + 0.2 * s),
            (cx + 0.06 * s, cy + 0.42 * s),
            (cx - 0.06 * s, cy + 0.42 * s),
        ],
        fill=CLEAR,
    )


def m_bolt(d, cx, cy, s):
    cloud(d, cx, cy - 0.4 * s, 1.15 * s)
    d.polygon(
        [
            (cx + 0.05 * s, cy - 0.12 * s),
            (cx - 0.22 * s, cy + 0.3 * s),
            (cx - 0.02 * s, cy + 0.3 * s),
            (cx - 0.14 * s, cy + 0.72 * s),
            (cx + 0.25 * s, cy + 0.15 * s),
            (cx + 0.04 * s, cy + 0.15 * s),
            (cx + 0.17 * s, cy - 0.12 * s),
        ],
        fill=WHITE,
    )


def m_bowl(d, cx, cy, s):
    d.chord((cx - 0.7 * s, cy - 0.45 * s, cx + 0.7 * s, cy + 0.55 * s), 0, 180, fill=WHITE)
    d.rounded_rectangle((cx - 0.2 * s, cy + 0.5 * s, cx + 0.2 * s, cy + 0.6 * s), radius=0.03 * s, fill=WHITE)
    for dx in (-0.22, 0.0, 0.22):  # steam
        x = cx + dx * s
        steam = [
            (x + 0.04 * s * math.sin((y - cy) / (0.08 * s)), y)
            for y in range(int(cy - 0.62 * s), int(cy - 0.12 * s), 4)
        ]
        thick_line(d, steam, 0.04 * s, fill=(255, 255, 255, 190))
    # chopsticks
    thick_line(d, [(cx + 0.35 * s, cy - 0.05 * s), (cx + 0.85 * s, cy - 0.55 * s)], 0.035 * s)
    thick_line(d, [(cx + 0.45 * s, cy - 0.02 * s), (cx + 0.92 * s, cy - 0.45 * s)], 0.035 * s)


THEMES: dict[str, tuple[list[str], callable]] = {
    # hazards
    "flood": (["#0b3d6b", "#1565a8", "#0f766e", "#0e4f7a"], m_flood),
    "rainstorm": (["#1f2a44", "#35507a", "#2b4c6f", "#516f95"], m_rain),
    "typhoon": (["#243b55", "#4a6fa5", "#141e30", "#3a6073"], m_typhoon),
    "heatwave": (["#ff8c00", "#e63946", "#ffb347", "#d9480f"], m_sun),
    "coldwave": (["#7fb3e0", "#3d6fb6", "#b8d8f0", "#5886c9"], m_snow),
    "earthquake": (["#5d4037", "#8d6e63", "#3e2723", "#a1887f"], m_quake),
    "forest-fire": (["#1b4332", "#bf4a1f", "#2d6a4f", "#e76f51"], m_forestfire),
    "fire": (["#9d0208", "#e85d04", "#6a040f", "#f48c06"], m_fire),
    "epidemic": (["#0f766e", "#14b8a6", "#134e4a", "#2dd4bf"], m_virus),
    "geological": (["#6b4f2c", "#a47148", "#4a3b2a", "#c08552"], m_geo),
    "chemical": (["#4a148c", "#7b1fa2", "#311b92", "#ab47bc"], m_flask),
    "lightning": (["#2c2a4a", "#4f518c", "#1b1a33", "#907ad6"], m_bolt),
    # themes
    "antifraud": (["#0d47a1", "#1976d2", "#1a237e", "#42a5f5"], m_shield),
    "rice": (["#827717", "#c0ca33", "#5f6d1c", "#e6c229"], m_rice),
    "lotus": (["#ad1457", "#ec407a", "#2e7d32", "#66bb6a"], m_lotus),
    "fish": (["#006064", "#00acc1", "#01579b", "#4dd0e1"], m_fish),
    "farming": (["#2e7d32", "#7cb342", "#1b5e20", "#9ccc65"], m_leaf),
    "industry": (["#37474f", "#607d8b", "#263238", "#ff7043"], m_gear),
    "safety": (["#f9a825", "#ef6c00", "#f57f17", "#ffca28"], m_helmet),
    "health": (["#c2185b", "#f06292", "#880e4f", "#ff8a80"], m_heart),
    "firstaid": (["#b71c1c", "#e53935", "#7f0000", "#ff7961"], m_firstaid),
    "science": (["#1a237e", "#5c6bc0", "#311b92", "#26c6da"], m_atom),
    "space": (["#0b0c2a", "#2a2f6b", "#1c1446", "#6a3fa0"], m_rocket),
    "ai": (["#004d40", "#00897b", "#1a237e", "#3949ab"], m_ai),
    "airport": (["#0277bd", "#4fc3f7", "#01579b", "#ffb74d"], m_plane),
    "wetland": (["#00695c", "#4db6ac", "#33691e", "#aed581"], m_wetland),
    "digital": (["#512da8", "#7e57c2", "#0288d1", "#4fc3f7"], m_phone),
    "eye": (["#00838f", "#26c6da", "#283593", "#7986cb"], m_eye),
    "datasecurity": (["#263238", "#455a64", "#0d47a1", "#1e88e5"], m_lock),
    "food": (["#e65100", "#ffa726", "#bf360c", "#ffcc80"], m_bowl),
}


def decorate(img: Image.Image, rnd: random.Random) -> None:
    """Soft bokeh circles, rings, a dot grid and diagonal bands."""
    soft = layer()
    d = ImageDraw.Draw(soft)
    for _ in range(9):
        r = rnd.uniform(60, 260)
        x, y = rnd.uniform(0, SW), rnd.uniform(0, SH)
        circle(d, x, y, r, fill=(255, 255, 255, rnd.randint(14, 34)))
    # big glow behind the motif
    circle(d, SW / 2, SH / 2, 0.42 * SH, fill=(255, 255, 255, 38))
    soft = soft.filter(ImageFilter.GaussianBlur(26))
    img.alpha_composite(soft)

    sharp = layer()
    d = ImageDraw.Draw(sharp)
    for _ in range(4):
        r = rnd.uniform(40, 160)
        x, y = rnd.choice([rnd.uniform(0, SW * 0.28), rnd.uniform(SW * 0.72, SW)]), rnd.uniform(0, SH)
        circle(d, x, y, r, outline=(255, 255, 255, rnd.randint(40, 80)), width=rnd.randint(3, 7))
    # dot grid in a corner
    gx = rnd.choice([60, SW - 60 - 7 * 34])
    gy = rnd.choice([60, SH - 60 - 5 * 34])
    for i in range(8):
        for j in range(6):
            circle(d, gx + i * 34, gy + j * 34, 5, fill=(255, 255, 255, 70))
    # diagonal band
    off = rnd.uniform(-SW * 0.3, SW * 0.3)
    d.polygon(
        [(SW * 0.55 + off, SH), (SW * 0.75 + off, SH), (SW * 1.05 + off, 0), (SW * 0.85 + off, 0)],
        fill=(255, 255, 255, 16),
    )
    # small triangles
    for _ in range(5):
        x, y = rnd.uniform(0, SW), rnd.uniform(0, SH)
        if abs(x - SW / 2) < SW * 0.25:
            continue
        r = rnd.uniform(14, 34)
        d.regular_polygon(
            (x, y, r), 3, rotation=rnd.uniform(0, 120), fill=(255, 255, 255, rnd.randint(60, 110))
        )
    img.alpha_composite(sharp)


def render(name: str) -> Image.Image:
    colors, motif = THEMES[name]
    rnd = random.Random(zlib.crc32(name.encode()))  # noqa: S311 - seeded so images are reproducible
    img = gradient(colors).convert("RGBA")
    decorate(img, rnd)

    m = layer()
    md = ImageDraw.Draw(m)
    motif(md, SW / 2, SH / 2, SH * 0.42)
    # soft drop shadow
    shadow = Image.new("RGBA", (SW, SH), CLEAR)
    alpha = m.getchannel("A").point(lambda v: v * 0.35)
    shadow.putalpha(alpha)
    shadow = shadow.filter(ImageFilter.GaussianBlur(18))
    img.alpha_composite(shadow, (10, 16))
    img.alpha_composite(m)
    # gentle vignette at the bottom
    vig = Image.linear_gradient("L").resize((SW, SH)).point(lambda v: max(0, v - 150) // 2)
    dark = Image.new("RGBA", (SW, SH), (0, 0, 0, 255))
    dark.putalpha(vig)
    img.alpha_composite(dark)
    return img.convert("RGB").resize((W, H), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name in THEMES:
        path = OUT / f"{name}.jpg"
        render(name).save(path, "JPEG", quality=80, optimize=True)
        size = path.stat().st_size
        total += size
        print(f"{path.name:20s} {size / 1024:6.1f} KB")
    print(f"{len(THEMES)} images, total {total / 1024:.1f} KB")


if __name__ == "__main__":
    main()
