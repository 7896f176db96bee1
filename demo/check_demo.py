#!/usr/bin/env python
"""Validate demo/demo.jsonl against the Kepu Ezhou import contract.

Usage:  /work/main/.venv/bin/python demo/check_demo.py [path/to/demo.jsonl]

Exits with status 1 and lists every problem if anything is wrong; otherwise
prints a summary (counts per type / audience / hazard / severity / region /
topic, active and expired emergencies, image sizes).

The file is written as if today were NOW (2026-12-01); `dated.py` moves the
warnings not yet expired then so that NOW becomes the day `make demo` runs.
On that day, as on a real one, a few warnings are in force: short red and
orange ones for one or two districts (they take over those screens), a few
yellow and blue ones, one upcoming; at least one district has no red or
orange warning, so its screens keep playing ordinary content.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "demo.jsonl"

TYPES = {"article", "video", "emergency"}
AUDIENCES = {"youth", "farmers", "workers", "elderly", "officials"}
HAZARDS = {
    "flood",
    "typhoon",
    "rainstorm",
    "heatwave",
    "cold_wave",
    "earthquake",
    "fire",
    "epidemic",
    "geological",
    "chemical",
}
SEVERITIES = {"blue", "yellow", "orange", "red"}
REGIONS = {"鄂城区", "华容区", "梁子湖区", "葛店开发区", "临空经济区"}
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a", "img"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
TZ = timezone(timedelta(hours=8))

COMMON = {"type", "slug", "title", "summary", "body", "audiences", "topics", "published_at", "cover_image"}
VIDEO = {"video_file", "duration_seconds", "transcript", "poster_image"}
EMERGENCY = {"hazard", "severity", "regions", "effective_from", "expires_at", "instructions", "takeover"}
OPTIONAL = {"takeover"}
TAKEOVER_MODES = {"auto", "force", "suppress"}
TAKES_OVER = {"red", "orange"}

PUBLISH_MIN = datetime(2026, 3, 1, tzinfo=TZ)
NOW = datetime(2026, 12, 1, 0, 0, tzinfo=TZ)  # the day the file is written for (dated.py's REFERENCE_DAY)
DAY_END = NOW + timedelta(days=1)
PUBLISH_MAX = NOW  # nothing published later than the start of that day: dated copies never publish ahead
MAX_TAKEOVER_DURATION = timedelta(days=3)  # red and orange warnings are short and local
MAX_TAKEOVER_REGIONS = 2

MIN_COUNTS = {"article": 36, "video": 14, "emergency": 16}
MIN_TOTAL = 66
MIN_PER_AUDIENCE = 12
MIN_ACTIVE = 4  # in force the whole of NOW's day
MIN_LEADING = 2  # yellow and blue among them
MIN_EXPIRED = 6
MAX_IMAGE_BYTES = 80 * 1024
MAX_IMAGES_TOTAL = 3 * 1024 * 1024


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.h2 = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"disallowed tag <{tag}>")
        if tag == "img":
            self.problems.append("<img> must not be used in bodies")
        for name, value in attrs:
            if not (tag == "a" and name == "href"):
                self.problems.append(f"disallowed attribute {name!r} on <{tag}>")
            elif not (value or "").startswith("https://"):
                self.problems.append(f"non-https link {value!r}")
        if tag == "h2":
            self.h2 += 1
        if tag != "img":
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse_dt(value, field, errs):
    if not isinstance(value, str):
        errs.append(f"{field}: not a string")
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        errs.append(f"{field}: not ISO 8601: {value!r}")
        return None
    if dt.tzinfo is None:
        errs.append(f"{field}: missing UTC offset: {value!r}")
        return None
    return dt


def han(s: str) -> int:
    return len(HAN_RE.findall(s))


def check_image(rel, field, base, errs, used):
    if not isinstance(rel, str) or not rel:
        errs.append(f"{field}: missing")
        return
    if rel.startswith("/") or ".." in rel:
        errs.append(f"{field}: must be a relative path inside demo/: {rel!r}")
        return
    path = base / rel
    if not path.is_file():
        errs.append(f"{field}: file not found: {rel}")
        return
    used.add(rel)
    with path.open("rb") as fh:
        if fh.read(3) != b"\xff\xd8\xff":
            errs.append(f"{field}: not a JPEG: {rel}")


def check_item(item, base, errs, used_images):
    if not isinstance(item, dict):
        errs.append("line is not a JSON object")
        return
    typ = item.get("type")
    if typ not in TYPES:
        errs.append(f"type: invalid {typ!r}")
        return
    expected = COMMON | (VIDEO if typ == "video" else set()) | (EMERGENCY if typ == "emergency" else set())
    missing = expected - item.keys() - OPTIONAL
    extra = item.keys() - expected
    if missing:
        errs.append(f"missing fields: {sorted(missing)}")
    if extra:
        errs.append(f"unexpected fields: {sorted(extra)}")

    slug = item.get("slug")
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        errs.append(f"slug: invalid {slug!r}")

    title = item.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 40 or not han(title):
        errs.append(f"title: must be non-empty Chinese, <= 40 chars (len={len(title or '')})")
    summary = item.get("summary")
    if not isinstance(summary, str) or len(summary) > 120:
        errs.append(f"summary: must be a string <= 120 chars (len={len(summary or '')})")

    body = item.get("body")
    if not isinstance(body, str) or not body.strip():
        errs.append("body: missing")
    else:
        p = TagCollector()
        p.feed(body)
        p.close()
        errs.extend(f"body: {m}" for m in dict.fromkeys(p.problems))
        if p.stack:
            errs.append(f"body: unclosed tags {p.stack}")
        n = han("".join(p.text))
        if not 250 <= n <= 700:
            errs.append(f"body: {n} Chinese characters (want 250-700)")
        if not 2 <= p.h2 <= 4:
            errs.append(f"body: {p.h2} <h2> sections (want 2-4)")
        if "lorem" in body.lower():
            errs.append("body: contains lorem ipsum")

    aud = item.get("audiences")
    if not isinstance(aud, list) or not aud or not set(aud) <= AUDIENCES or len(set(aud)) != len(aud):
        errs.append(f"audiences: invalid {aud!r}")
    topics = item.get("topics")
    if not isinstance(topics, list) or not topics or not all(isinstance(t, str) and han(t) for t in topics):
        errs.append(f"topics: invalid {topics!r}")

    pub = parse_dt(item.get("published_at"), "published_at", errs)
    if pub and not PUBLISH_MIN <= pub <= PUBLISH_MAX:
        errs.append(
            f"published_at: {pub.isoformat()} outside {PUBLISH_MIN.date()} .. {PUBLISH_MAX.isoformat()}"
        )

    check_image(item.get("cover_image"), "cover_image", base, errs, used_images)

    if typ == "video":
        video = item.get("video_file")
        if not isinstance(video, str) or not re.match(r"^videos/[a-z0-9-]+\.mp4$", video):
            errs.append(f"video_file: invalid {video!r}")
        elif not (base / video).is_file() or (base / video).stat().st_size > 150 * 1024:
            errs.append(f"video_file: {video} missing or over 150 KB (run demo/make_videos.py)")
        dur = item.get("duration_seconds")
        if not isinstance(dur, int) or isinstance(dur, bool) or not 60 <= dur <= 900:
            errs.append(f"duration_seconds: invalid {dur!r}")
        tr = item.get("transcript")
        if not isinstance(tr, str) or not 200 <= han(tr) <= 600 or "<" in tr:
            errs.append(f"transcript: want 200-600 Chinese characters of plain text (got {han(tr or '')})")
        check_image(item.get("poster_image"), "poster_image", base, errs, used_images)

    if typ == "emergency":
        if item.get("hazard") not in HAZARDS:
            errs.append(f"hazard: invalid {item.get('hazard')!r}")
        if item.get("severity") not in SEVERITIES:
            errs.append(f"severity: invalid {item.get('severity')!r}")
        regions = item.get("regions")
        if not isinstance(regions, list) or not regions or not set(regions) <= REGIONS:
            errs.append(f"regions: invalid {regions!r}")
        start = parse_dt(item.get("effective_from"), "effective_from", errs)
        end = parse_dt(item.get("expires_at"), "expires_at", errs)
        for name, dt in (("effective_from", start), ("expires_at", end)):
            if dt and dt.utcoffset() != timedelta(hours=8):
                errs.append(f"{name}: offset must be +08:00")
        if start and end and not end > start:
            errs.append("expires_at must be after effective_from")
        if item.get("takeover", "auto") not in TAKEOVER_MODES:
            errs.append(f"takeover: invalid {item.get('takeover')!r}")
        ins = item.get("instructions")
        lines = ins.split("\n") if isinstance(ins, str) else []
        if not 3 <= len(lines) <= 6:
            errs.append(f"instructions: want 3-6 lines, got {len(lines)}")
        for i, line in enumerate(lines, 1):
            if not re.match(rf"^{i}\. \S", line):
                errs.append(f"instructions: line {i} not numbered '{i}. ...': {line!r}")
            if "<" in line:
                errs.append("instructions: must be plain text")


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT
    base = path.resolve().parent
    problems: list[str] = []
    items = []
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                problems.append(f"line {lineno}: blank line")
                continue
            try:
                item = json.loads(raw)
            except json.JSONDecodeError as exc:
                problems.append(f"line {lineno}: invalid JSON: {exc}")
                continue
            items.append((lineno, item))

    used_images: set[str] = set()
    slugs: Counter = Counter()
    for lineno, item in items:
        errs: list[str] = []
        check_item(item, base, errs, used_images)
        slugs[item.get("slug")] += 1 if isinstance(item, dict) else 0
        problems.extend(
            f"line {lineno} ({item.get('slug') if isinstance(item, dict) else '?'}): {e}" for e in errs
        )
    for slug, n in slugs.items():
        if n > 1:
            problems.append(f"slug {slug!r} used {n} times")

    data = [it for _, it in items if isinstance(it, dict)]
    by_type = Counter(it.get("type") for it in data)
    by_aud = Counter(a for it in data for a in it.get("audiences") or [])
    topics = Counter(t for it in data for t in it.get("topics") or [])
    emerg = [it for it in data if it.get("type") == "emergency"]

    def dt(it, key):
        try:
            value = datetime.fromisoformat(it[key])
        except (KeyError, ValueError, TypeError):
            return None
        return value if value.tzinfo else None  # naive values are reported above

    def active(it, when):
        s, e = dt(it, "effective_from"), dt(it, "expires_at")
        return bool(s and e and s <= when < e)

    def takes_over(it):
        mode = it.get("takeover", "auto")
        return mode == "force" or (mode == "auto" and it.get("severity") in TAKES_OVER)

    # In force the whole day (first and last second), whatever time `make demo` runs.
    active_now = [it for it in emerg if active(it, NOW) and active(it, DAY_END - timedelta(seconds=1))]
    leading = [it for it in active_now if not takes_over(it)]
    taken = {r for it in active_now if takes_over(it) for r in it.get("regions") or []}
    upcoming = [it for it in emerg if (dt(it, "effective_from") or NOW) >= DAY_END]
    expired = [it for it in emerg if (dt(it, "expires_at") or NOW) <= NOW]
    hazards = Counter(it.get("hazard") for it in emerg)
    sevs = Counter(it.get("severity") for it in emerg)
    regions = Counter(r for it in emerg for r in it.get("regions") or [])

    # ---- aggregate requirements
    if len(data) < MIN_TOTAL:
        problems.append(f"only {len(data)} items (want >= {MIN_TOTAL})")
    for t, n in MIN_COUNTS.items():
        if by_type[t] < n:
            problems.append(f"only {by_type[t]} {t} items (want >= {n})")
    for a in sorted(AUDIENCES):
        if by_aud[a] < MIN_PER_AUDIENCE:
            problems.append(f"audience {a}: only {by_aud[a]} items (want >= {MIN_PER_AUDIENCE})")
    for name, have, want in (
        ("hazards", hazards, HAZARDS),
        ("severities", sevs, SEVERITIES),
        ("regions", regions, REGIONS),
    ):
        if set(want) - set(have):
            problems.append(f"{name} not covered by emergencies: {sorted(set(want) - set(have))}")
    if len(active_now) < MIN_ACTIVE:
        problems.append(
            f"only {len(active_now)} emergencies in force all of {NOW.date()} (want >= {MIN_ACTIVE})"
        )
    active_sev = {it.get("severity") for it in active_now}
    if not TAKES_OVER <= active_sev:
        problems.append(
            f"want a red and an orange warning in force on {NOW.date()} (have {sorted(active_sev)})"
        )
    if len(leading) < MIN_LEADING:
        problems.append(f"only {len(leading)} yellow/blue warnings in force (want >= {MIN_LEADING})")
    for it in active_now:
        if takes_over(it):
            length = dt(it, "expires_at") - dt(it, "effective_from")
            if length > MAX_TAKEOVER_DURATION:
                problems.append(
                    f"{it['slug']}: takes over screens for {length} (want <= {MAX_TAKEOVER_DURATION})"
                )
            if len(it.get("regions") or []) > MAX_TAKEOVER_REGIONS:
                problems.append(f"{it['slug']}: takes over {len(it['regions'])} districts (want <= 2)")
    if not REGIONS - taken:
        problems.append("every district has a red or orange warning: no screen would play ordinary content")
    if not upcoming:
        problems.append(f"no emergency starts after {NOW.date()} (want an upcoming one)")
    if len(expired) < MIN_EXPIRED:
        problems.append(f"only {len(expired)} expired emergencies (want >= {MIN_EXPIRED})")

    # ---- images
    img_dir = base / "images"
    images = sorted(img_dir.glob("*.jpg")) if img_dir.is_dir() else []
    total_bytes = sum(p.stat().st_size for p in images)
    for p in images:
        if p.stat().st_size > MAX_IMAGE_BYTES:
            problems.append(f"image {p.name} is {p.stat().st_size / 1024:.1f} KB (> 80 KB)")
    try:
        from PIL import Image

        for p in images:
            with Image.open(p) as im:
                if im.size != (960, 540) or im.format != "JPEG":
                    problems.append(f"image {p.name}: {im.format} {im.size}, want JPEG 960x540")
    except ImportError:
        print("note: Pillow not available, image dimensions not checked")
    if total_bytes > MAX_IMAGES_TOTAL:
        problems.append(f"images total {total_bytes / 1024 / 1024:.2f} MB (> 3 MB)")
    unused = sorted({f"images/{p.name}" for p in images} - used_images)

    # ---- report
    print(f"file: {path}")
    print(f"items: {len(data)}  " + "  ".join(f"{t}={by_type[t]}" for t in ("article", "video", "emergency")))
    print(
        "audiences: "
        + "  ".join(f"{a}={by_aud[a]}" for a in ("youth", "farmers", "workers", "elderly", "officials"))
    )
    print(f"topics ({len(topics)}): " + "  ".join(f"{t}={n}" for t, n in topics.most_common()))
    print("hazards: " + "  ".join(f"{h}={hazards[h]}" for h in sorted(HAZARDS)))
    print("severities: " + "  ".join(f"{s}={sevs[s]}" for s in ("blue", "yellow", "orange", "red")))
    print("regions: " + "  ".join(f"{r}={regions[r]}" for r in sorted(REGIONS)))
    print(
        f"emergencies in force all of {NOW.date()}: {len(active_now)}  "
        f"(severities {dict(Counter(it['severity'] for it in active_now))}; "
        f"districts taken over: {sorted(taken)}; playing ordinary content: {sorted(REGIONS - taken)})"
    )
    print(f"emergencies upcoming after {NOW.date()}: {len(upcoming)}")
    print(f"emergencies expired by {NOW.date()}: {len(expired)}")
    bodies = [han(re.sub(r"<[^>]+>", "", it.get("body", ""))) for it in data]
    if bodies:
        print(
            f"body length (Chinese chars): min={min(bodies)} max={max(bodies)} "
            f"avg={sum(bodies) // len(bodies)}"
        )
    print(
        f"images: {len(images)} files, {total_bytes / 1024:.1f} KB total, {len(used_images)} referenced"
        + (f", unused: {unused}" if unused else "")
    )
    if problems:
        print(f"\nFAILED with {len(problems)} problem(s):")
        for p in problems:
            print("  - " + p)
        return 1
    print("\nOK: demo.jsonl satisfies the import contract")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
