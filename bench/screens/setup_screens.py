"""Create N screens (default 1,000) spread over the five districts and audience mixes, in one process.

    DJANGO_SETTINGS_MODULE=bench.screens.settings python bench/screens/setup_screens.py OUT.tsv [N]
Writes one ``id<TAB>token<TAB>district`` line per screen (the token is shown only once).
"""

import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.screens.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from feeds.screens.services import screen_create  # noqa: E402

DISTRICTS = ["echeng", "huarong", "liangzihu", "gedian", "linkong"]
AUDIENCE_MIXES = [
    ("elderly", "farmers"),
    ("youth",),
    ("workers", "officials"),
    ("elderly",),
    ("farmers", "workers"),
    ("youth", "elderly", "officials"),
    (),  # no audience: the newest content for everyone
]
PLACE_TYPES = ["community", "village", "school", "museum", "station", "enterprise"]


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    started = time.perf_counter()
    lines = []
    mixes = itertools.cycle(AUDIENCE_MIXES)
    with transaction.atomic():  # one commit: SQLite is slow at a thousand small ones
        for i in range(n):
            district = DISTRICTS[i % len(DISTRICTS)]
            place = PLACE_TYPES[(i // len(DISTRICTS)) % len(PLACE_TYPES)]
            portrait = i % 5 == 4  # one screen in five is a portrait totem
            created = screen_create(
                name=f"bench-{i:04d}",
                district=district,
                audiences=next(mixes),
                # half the screens are in a group (one per district and place type), half stand alone
                group=f"bench-{district}-{place}" if i % 2 == 0 else "",
                place_type=place,
                orientation="portrait" if portrait else "landscape",
                width=1080 if portrait else 1920,
                height=1920 if portrait else 1080,
            )
            lines.append(f"{created.screen.pk}\t{created.token}\t{district}\n")
    out.write_text("".join(lines), encoding="utf-8")
    print(f"created {n} screens in {time.perf_counter() - started:.1f} s → {out}")


if __name__ == "__main__":
    main()
