"""Validate one import line into an ``ImportItem``; every problem becomes a Chinese reason.

Nothing here touches the database except the vocabulary lookups passed in as ``Vocabulary``.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from content.emergency import HAZARD_CHOICES, SEVERITIES, TAKEOVER_AUTO, TAKEOVER_CHOICES
from content.models import CONTENT_TYPE_LABELS

from .html_body import ParsedBody, body_parse

TYPES = ("article", "video", "emergency")
TYPE_LABELS = CONTENT_TYPE_LABELS
COMMON_FIELDS = {
    "type",
    "slug",
    "title",
    "summary",
    "body",
    "audiences",
    "topics",
    "published_at",
    "cover_image",
}
TYPE_FIELDS = {
    "article": set(),
    "video": {"video_url", "duration_seconds", "transcript", "poster_image"},
    "emergency": {
        "hazard",
        "severity",
        "regions",
        "effective_from",
        "expires_at",
        "instructions",
        "takeover",
    },
}
SLUG_RE = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_TITLE = 255
MAX_SUMMARY = 300
MAX_TOPIC = 100


@dataclass
class Vocabulary:
    audience_slugs: set
    region_by_name: dict  # name or slug → slug


@dataclass
class ImportItem:
    line: int
    type: str
    slug: str
    fields: dict
    audiences: list
    topics: list
    published_at: datetime | None
    cover_image: Path | None
    poster_image: Path | None
    body: ParsedBody
    body_images: dict  # src → Path
    regions: list = field(default_factory=list)
    fingerprint: str = ""


class LineErrors(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def item_validate(raw_line: str, line_no: int, base_dir: Path, vocab: Vocabulary) -> ImportItem:
    """Parse and check one line; raise ``LineErrors`` listing every problem found."""
    try:
        data = json.loads(raw_line)
    except json.JSONDecodeError as exc:
        raise LineErrors([f"不是合法的 JSON（第 {exc.colno} 列：{exc.msg}）"]) from None
    if not isinstance(data, dict):
        raise LineErrors(["每行必须是一个 JSON 对象"])

    errors: list[str] = []
    item_type = data.get("type")
    if item_type not in TYPES:
        errors.append(f"未知类型 {_show(item_type)}（可用：article、video、emergency）")
        raise LineErrors(errors)

    unknown = sorted(set(data) - COMMON_FIELDS - TYPE_FIELDS[item_type])
    if unknown:
        errors.append(f"{TYPE_LABELS[item_type]}不支持的字段：{'、'.join(unknown)}")

    slug = data.get("slug")
    if not isinstance(slug, str) or not slug:
        errors.append("缺少 slug")
    elif len(slug) > 255 or not SLUG_RE.match(slug):
        errors.append(f"slug {_show(slug)} 不合法：只能包含英文字母、数字、连字符和下划线")

    title = _text(data, "title", errors, required=True, max_len=MAX_TITLE, label="标题")
    summary = _text(
        data, "summary", errors, required=True, max_len=MAX_SUMMARY, label="摘要", allow_empty=True
    )
    body_html = _text(data, "body", errors, required=True, label="正文", allow_empty=False)

    audiences = data.get("audiences")
    if not isinstance(audiences, list) or not audiences:
        errors.append("audiences 必须是非空列表")
        audiences = []
    else:
        for slug_value in audiences:
            if slug_value not in vocab.audience_slugs:
                errors.append(
                    f"未知受众 {_show(slug_value)}（可用：{'、'.join(sorted(vocab.audience_slugs))}）"
                )
        audiences = list(dict.fromkeys(a for a in audiences if a in vocab.audience_slugs))

    topics = data.get("topics", [])
    if topics is None:
        topics = []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        errors.append("topics 必须是字符串列表")
        topics = []
    topics = list(dict.fromkeys(" ".join(t.split()) for t in topics if t.strip()))
    for topic in topics:
        if len(topic) > MAX_TOPIC or "," in topic or '"' in topic:
            errors.append(f"主题 {_show(topic)} 不合法（不能含逗号或引号，最长 {MAX_TOPIC} 字）")

    published_at = _datetime(data, "published_at", errors, required=False)
    cover = _image_path(data, "cover_image", base_dir, errors)

    body = body_parse(body_html or "")
    if body_html is not None and not body.blocks:
        errors.append("正文为空：body 里没有可显示的内容")
    body_images = {}
    for src in body.image_sources:
        path = _resolve_image(src, base_dir, errors, label=f"正文图片 {_show(src)}")
        if path:
            body_images[src] = path

    fields = {"title": title, "summary": summary}
    poster = None
    regions = []
    if item_type == "video":
        fields.update(_video_fields(data, errors))
        poster = _image_path(data, "poster_image", base_dir, errors)
    elif item_type == "emergency":
        emergency_fields, regions = _emergency_fields(data, errors, vocab)
        fields.update(emergency_fields)

    if errors:
        raise LineErrors(errors)
    item = ImportItem(
        line=line_no,
        type=item_type,
        slug=slug,
        fields=fields,
        audiences=audiences,
        topics=topics,
        published_at=published_at,
        cover_image=cover,
        poster_image=poster,
        body=body,
        body_images=body_images,
        regions=regions,
    )
    item.fingerprint = _fingerprint(data, [cover, poster, *body_images.values()])
    return item


def _video_fields(data, errors) -> dict:
    url = data.get("video_url")
    if not isinstance(url, str) or not url.strip():
        errors.append("科普视频缺少 video_url")
        url = ""
    else:
        url = url.strip()
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc or len(url) > 500:
            errors.append(f"video_url {_show(url)} 不是合法的 http(s) 地址")
    duration = data.get("duration_seconds")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration < 0):
        errors.append("duration_seconds 必须是非负整数（秒）")
        duration = None
    transcript = _text(data, "transcript", errors, required=False, label="字幕文稿", allow_empty=True)
    return {"video_url": url, "duration_seconds": duration, "transcript": transcript or ""}


def _emergency_fields(data, errors, vocab) -> tuple[dict, list]:
    hazards = [key for key, _ in HAZARD_CHOICES]
    hazard = data.get("hazard")
    if hazard not in hazards:
        errors.append(f"未知灾种 {_show(hazard)}（可用：{'、'.join(hazards)}）")
    severity = data.get("severity")
    if severity not in SEVERITIES:
        errors.append(f"未知预警级别 {_show(severity)}（可用：{'、'.join(SEVERITIES)}）")
    regions_raw = data.get("regions")
    regions = []
    if not isinstance(regions_raw, list) or not regions_raw:
        errors.append("regions 必须是非空列表")
    else:
        for region in regions_raw:
            slug = vocab.region_by_name.get(region) if isinstance(region, str) else None
            if slug is None:
                names = sorted({n for n in vocab.region_by_name if not n.isascii()})
                errors.append(f"未知区域 {_show(region)}（可用：{'、'.join(names)}）")
            elif slug not in regions:
                regions.append(slug)
    effective_from = _datetime(data, "effective_from", errors, required=True)
    expires_at = _datetime(data, "expires_at", errors, required=True)
    if effective_from and expires_at and expires_at <= effective_from:
        errors.append("expires_at 必须晚于 effective_from")
    instructions = _text(data, "instructions", errors, required=True, label="防范指引")
    takeover = data.get("takeover")
    if takeover is None:
        takeover = TAKEOVER_AUTO
    modes = [key for key, _ in TAKEOVER_CHOICES]
    if takeover not in modes:
        errors.append(
            f"未知大屏接管方式 {_show(takeover)}（可用：auto 按预警级别、force 强制接管、suppress 不接管）"
        )
    return (
        {
            "hazard": hazard,
            "severity": severity,
            "effective_from": effective_from,
            "expires_at": expires_at,
            "instructions": instructions,
            "takeover": takeover,
        },
        regions,
    )


def _text(data, key, errors, *, required, label, max_len=None, allow_empty=False):
    if key not in data or data[key] is None:
        if required:
            errors.append(f"缺少{label}（{key}）")
        return None
    value = data[key]
    if not isinstance(value, str):
        errors.append(f"{label}（{key}）必须是字符串")
        return None
    value = value.strip()
    if not value and not allow_empty:
        errors.append(f"{label}（{key}）不能为空")
        return None
    if max_len and len(value) > max_len:
        errors.append(f"{label}（{key}）过长：{len(value)} 字，最多 {max_len} 字")
    return value


def _datetime(data, key, errors, *, required):
    value = data.get(key)
    if value is None:
        if required:
            errors.append(f"缺少 {key}")
        return None
    if not isinstance(value, str):
        errors.append(f"{key} 必须是 ISO 8601 字符串")
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{key} 日期格式错误：{_show(value)}（应为 ISO 8601，如 2026-07-01T08:00:00+08:00）")
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        errors.append(f"{key} 缺少时区偏移：{_show(value)}（如 +08:00）")
        return None
    return parsed


def _image_path(data, key, base_dir, errors):
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.append(f"{key} 必须是相对于导入文件的路径")
        return None
    return _resolve_image(value, base_dir, errors, label=key)


def _resolve_image(value: str, base_dir: Path, errors, *, label):
    if urlparse(value).scheme or value.startswith(("/", "\\")):
        errors.append(f"{label} 必须是相对于导入文件的本地路径，不能是网址或绝对路径")
        return None
    path = (base_dir / value).resolve()
    if base_dir.resolve() not in path.parents:
        errors.append(f"{label} 不能指向导入文件所在目录之外")
        return None
    if not path.is_file():
        errors.append(f"{label} 文件不存在：{value}")
        return None
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        errors.append(f"{label} 不是支持的图片格式（jpg、png、gif、webp）：{value}")
        return None
    if path.stat().st_size > MAX_IMAGE_BYTES:
        errors.append(f"{label} 过大（超过 20 MB）：{value}")
        return None
    try:
        with PILImage.open(path) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        errors.append(f"{label} 不是有效的图片文件：{value}")
        return None
    return path


def _fingerprint(data: dict, paths) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    for path in paths:
        if path:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 60 else text[:57] + "…"
