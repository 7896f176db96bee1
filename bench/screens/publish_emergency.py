"""Publish one EmergencyPage for a district through Wagtail's real publish path; print JSON timings.

    DJANGO_SETTINGS_MODULE=bench.screens.settings python bench/screens/publish_emergency.py echeng
Runs in its own process with the same DATABASE_URL and REDIS_URL as the servers, like an editor's
publish in the admin: ``add_child`` (draft) then ``save_revision().publish()``, which fires
``page_published`` and so moves the screens' playlist epoch in the shared cache.
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.screens.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from content.models import Audience, EmergencyIndexPage, EmergencyPage, Region  # noqa: E402
from feeds.screens import feed_cache  # noqa: E402
from feeds.screens.models import Screen  # noqa: E402


def main():
    district = sys.argv[1] if len(sys.argv) > 1 else "echeng"
    index = EmergencyIndexPage.objects.live().first()
    if index is None:
        sys.exit("no live EmergencyIndexPage: import the demo content first")
    region = Region.objects.get(slug=district)
    now = timezone.now()
    stamp = int(time.time())
    page = EmergencyPage(
        title=f"寒潮橙色预警（基准测试 {stamp}）",
        slug=f"bench-cold-wave-{district}-{stamp}",
        summary="基准测试：未来24小时气温骤降8℃以上，请注意防寒保暖。",
        hazard="cold_wave",
        severity="orange",
        effective_from=now - timedelta(minutes=1),
        expires_at=now + timedelta(hours=6),
        instructions="减少户外活动\n老人和儿童注意保暖\n检查取暖设施，谨防一氧化碳中毒",
        source="鄂州市气象局（基准测试）",
        live=False,
    )
    page.regions = [region]
    page.audiences = list(Audience.objects.all())
    index.add_child(instance=page)
    in_district = list(Screen.objects.filter(district=region).values_list("pk", flat=True))
    others = list(Screen.objects.exclude(district=region).values_list("pk", flat=True))
    before = feed_cache.screen_epochs_get(in_district + others)
    revision = page.save_revision()
    t_publish = time.time()
    revision.publish()
    t_published = time.time()
    after = feed_cache.screen_epochs_get(in_district + others)
    moved = {pk for pk in in_district + others if before.get(pk) != after.get(pk)}
    print(
        json.dumps(
            {
                "page_id": page.pk,
                "district": district,
                "t_publish": t_publish,
                "t_published": t_published,
                "publish_ms": round((t_published - t_publish) * 1000, 1),
                # Only the district's feeds are invalidated; the other screens keep their cached feeds.
                "district_screens_invalidated": len(moved & set(in_district)),
                "district_screens": len(in_district),
                "other_screens_invalidated": len(moved - set(in_district)),
            }
        )
    )


if __name__ == "__main__":
    main()
