#!/usr/bin/env python
"""Write a copy of demo.jsonl whose current warnings are dated around today, for `make demo`.

demo.jsonl is written as if today were REFERENCE_DAY (2026-12-01, Asia/Shanghai). Emergencies
that had not expired when that day began (the ones in force or upcoming on it) are moved by whole
days so that REFERENCE_DAY becomes today: their `effective_from`, `expires_at` and `published_at`
keep their place relative to today. Emergencies that had expired are history and keep their
dates; articles and videos are copied unchanged.

So on any day the demo shows one red warning (two districts, two days), one orange (one district),
a few yellow and blue ones, one upcoming and many expired, and districts without a red or orange
warning keep playing ordinary content on their screens.

The copy is the import contract unchanged (docs/import-format.md): `import_content` resolves image
paths (and video files) relative to the file and refuses paths outside its folder, so the files it names are
copied next to it. The output depends only on the date: run twice on one day, it writes the same
bytes and the import reports every line unchanged; on a later day only the moved warnings change.

Usage:  python demo/dated.py [SOURCE [OUT_DIR]] [--today YYYY-MM-DD]
        (defaults: demo/demo.jsonl, .var/demo → .var/demo/demo.jsonl)
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE_DAY = date(2026, 12, 1)
SHANGHAI = timezone(timedelta(hours=8))  # no daylight saving time in China
MOVED_FIELDS = ("effective_from", "expires_at", "published_at")
IMAGE_FIELDS = ("cover_image", "poster_image", "video_file")  # every local file a line names


def _start_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


def line_dated(raw: str, shift: timedelta) -> str:
    """``raw`` with its window moved by ``shift`` when it is a warning not expired at the reference."""
    data = json.loads(raw)
    if data.get("type") != "emergency" or not shift:
        return raw
    expires_at = datetime.fromisoformat(data["expires_at"])
    if expires_at <= _start_of(REFERENCE_DAY):
        return raw  # history: it had expired, it stays where it was
    for name in MOVED_FIELDS:
        if data.get(name):
            data[name] = (datetime.fromisoformat(data[name]) + shift).isoformat()
    return json.dumps(data, ensure_ascii=False)


def images_named(raw: str) -> list[str]:
    data = json.loads(raw)
    return [data[name] for name in IMAGE_FIELDS if isinstance(data.get(name), str) and data[name]]


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)
    return True


def demo_dated(source: Path, out_dir: Path, today: date) -> Path:
    """Write ``out_dir/<source name>`` dated for ``today`` and copy its images; return its path."""
    shift = timedelta(days=(today - REFERENCE_DAY).days)
    lines = source.read_text(encoding="utf-8").splitlines()
    dated = [line_dated(line, shift) if line.strip() else line for line in lines]
    target = out_dir / source.name
    _write_if_changed(target, ("\n".join(dated) + "\n").encode("utf-8"))
    for name in sorted({image for line in lines if line.strip() for image in images_named(line)}):
        original = (source.parent / name).resolve()
        copy = (out_dir / name).resolve()
        if source.parent.resolve() not in original.parents or out_dir.resolve() not in copy.parents:
            raise SystemExit(f"{source}: image path {name!r} leaves the demo folder")
        if not copy.is_file() or copy.read_bytes() != original.read_bytes():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, copy)
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(HERE / "demo.jsonl"))
    parser.add_argument("out_dir", nargs="?", default=str(HERE.parent / ".var" / "demo"))
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the day to date for (default: today in Shanghai)"
    )
    args = parser.parse_args(argv)
    today = args.today or datetime.now(SHANGHAI).date()
    target = demo_dated(Path(args.source), Path(args.out_dir), today)
    print(f"{target}: warnings dated for {today.isoformat()}")


if __name__ == "__main__":
    main()
