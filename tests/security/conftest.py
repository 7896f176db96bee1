import json
import re

import pytest
from PIL import Image as PILImage

from .payloads import PAYLOADS


def slug_for(name: str) -> str:
    return "xss-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture
def hostile_import_file(tmp_path):
    """A JSONL file with one article per payload; image files named as the payloads' ``src=x.png``
    and ``a.png`` exist, so the import accepts every line and the sanitizer alone decides."""
    for name in ("x.png", "a.png"):
        PILImage.new("RGB", (8, 8), "white").save(tmp_path / name, format="PNG")
    lines = []
    for i, (name, body) in enumerate(sorted(PAYLOADS.items())):
        lines.append(
            {
                "type": "article",
                "slug": slug_for(name),
                "title": f"防范测试 {name}",
                "summary": "摘要",
                "body": f"<p>开头 {name}</p>{body}<p>结尾</p>",
                "audiences": ["youth"],
                "published_at": f"2026-06-01T09:{i % 60:02d}:00+08:00",
            }
        )
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), "utf-8")
    return path
