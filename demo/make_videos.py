#!/usr/bin/env python
"""Generate the demo videos for 科普鄂州 (Kepu Ezhou) with Debian's ffmpeg, and point demo.jsonl at them.

Usage:  .venv/bin/python demo/make_videos.py      (needs `apt-get install ffmpeg fonts-noto-cjk`)

Each video is a stand-in, not real footage: a plain colour card with the video's short title, the
site name and a running seconds counter, silent, 320×180 at 5 frames/s, H.264 baseline with
``+faststart`` so it plays while loading. Its length is the transcript read at four characters a
second (the caption pace of content/captions.py), so the captions built from the transcript run
exactly as long as the clip; ``duration_seconds`` in demo.jsonl is set to that length and
``video_file`` to ``videos/<slug>.mp4``. About 30 KB per file. CI does not install ffmpeg: the
files are committed; run this again only when a video's title or transcript changes.
"""

import json
import math
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE / "demo.jsonl"
OUT = HERE / "videos"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
CHARS_PER_SECOND = 4
COLOURS = ("0x1b5e20", "0x0d47a1", "0x4a148c", "0x004d40", "0x3e2723", "0x263238", "0xb71c1c", "0x1a237e")


def short_title(title: str) -> str:
    head = title.split("：")[0].split("，")[0]
    return head if len(head) <= 11 else head[:10] + "…"


def video_make(slug: str, title: str, seconds: int, colour: str) -> Path:
    path = OUT / f"{slug}.mp4"
    with tempfile.TemporaryDirectory() as tmp:
        title_file = Path(tmp) / "title.txt"
        title_file.write_text(short_title(title), encoding="utf-8")
        text = f"fontfile={FONT}:fontcolor=white:x=(w-tw)/2"
        filters = ",".join(
            [
                f"drawtext={text}:textfile={title_file}:fontsize=24:y=56",
                f"drawtext={text}:text='科普鄂州 · 演示视频':fontsize=14:y=100",
                f"drawtext={text}:text='%{{eif\\:t\\:d}} 秒':fontsize=14:y=136",
            ]
        )
        # A fixed ffmpeg command found on PATH (a developer tool); the only inputs are our demo texts.
        subprocess.run(  # noqa: S603 - fixed arguments, our own texts
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",  # noqa: S607 - on PATH
             "-i", f"color=c={colour}:s=320x180:r=5:d={seconds}", "-vf", filters,
             "-c:v", "libx264", "-preset", "veryslow", "-crf", "38", "-tune", "stillimage", "-g", "50",
             "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-movflags", "+faststart",
             "-map_metadata", "-1", "-fflags", "+bitexact", "-an", str(path)],
            check=True,
        )  # fmt: skip
    return path


def main() -> None:
    OUT.mkdir(exist_ok=True)
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    out, videos = [], 0
    for line in lines:
        data = json.loads(line) if line.strip() else None
        if data and data["type"] == "video":
            seconds = math.ceil(len(data.get("transcript", "")) / CHARS_PER_SECOND)
            path = video_make(data["slug"], data["title"], seconds, COLOURS[videos % len(COLOURS)])
            data.pop("video_url", None)
            data["video_file"] = f"videos/{path.name}"
            data["duration_seconds"] = seconds
            line = json.dumps(data, ensure_ascii=False)
            videos += 1
            print(f"{path.relative_to(HERE)}  {seconds} s  {path.stat().st_size // 1024} KB")
        out.append(line)
    DEMO.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
