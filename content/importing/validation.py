"""Validate one import line into an ``ImportItem``; every problem becomes a Chinese reason.

Nothing here touches the database except the vocabulary lookups passed in as ``Vocabulary``.
Hostile lines are refused here, before anything is written: lines over ``MAX_IMPORT_LINE_BYTES``,
nesting deeper than ``MAX_JSON_DEPTH``, NaN/Infinity, integers of thousands of digits, strings with
NUL or lone surrogates (the database refuses them), wrong types anywhere, dates outside
``MIN_YEAR``–``MAX_YEAR`` (any offset must still convert to UTC) and every size limit of
``content.limits``.
"""

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from content.emergency import HAZARD_CHOICES, SEVERITIES, TAKEOVER_AUTO, TAKEOVER_CHOICES
from content.limits import (
    MAX_AUDIENCES_PER_ITEM,
    MAX_BODY_BYTES,
    MAX_DURATION_SECONDS,
    MAX_IMPORT_LINE_BYTES,
    MAX_INSTRUCTIONS_LENGTH,
    MAX_JSON_DEPTH,
    MAX_REGIONS_PER_ITEM,
    MAX_SUMMARY_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_TOPIC_LENGTH,
    MAX_TOPICS_PER_ITEM,
    MAX_TRANSCRIPT_BYTES,
    MAX_YEAR,
    MIN_YEAR,
)
from content.types import ARTICLE, CONTENT_TYPE_KEYS, CONTENT_TYPE_LABELS, EMERGENCY, VIDEO

from .html_body import ParsedBody, body_parse

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
    ARTICLE.key: set(),
    VIDEO.key: {"video_url", "video_file", "duration_seconds", "transcript", "poster_image"},
    EMERGENCY.key: {
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
VIDEO_SUFFIXES = {".mp4", ".webm"}
MAX_VIDEO_BYTES = 500 * 1024 * 1024  # WAGTAILDOCS_MAX_UPLOAD_SIZE: what an editor may upload
MAX_TITLE = MAX_TITLE_LENGTH
MAX_SUMMARY = MAX_SUMMARY_LENGTH
MAX_TOPIC = MAX_TOPIC_LENGTH
# JSON strings (with their escapes) removed before counting brackets for the nesting depth.
_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"')
_BAD_TEXT_RE = re.compile("[\x00\ud800-\udfff]")


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
    video_file: Path | None = None
    fingerprint: str = ""


class LineErrors(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def item_validate(raw_line: str, line_no: int, base_dir: Path, vocab: Vocabulary) -> ImportItem:
    """Parse and check one line; raise ``LineErrors`` listing every problem found."""
    data = _json_object(raw_line)

    errors: list[str] = []
    item_type = data.get("type")
    if item_type not in CONTENT_TYPE_KEYS:
        errors.append(f"未知类型 {_show(item_type)}（可用：{'、'.join(CONTENT_TYPE_KEYS)}）")
        raise LineErrors(errors)

    unknown = sorted(set(data) - COMMON_FIELDS - TYPE_FIELDS[item_type])
    if unknown:
        errors.append(f"{CONTENT_TYPE_LABELS[item_type]}不支持的字段：{'、'.join(unknown)}")

    slug = _slug(data, errors)
    title = _text(data, "title", errors, required=True, max_len=MAX_TITLE, label="标题")
    summary = _text(
        data, "summary", errors, required=True, max_len=MAX_SUMMARY, label="摘要", allow_empty=True
    )
    body_html = _text(
        data, "body", errors, required=True, label="正文", allow_empty=False, max_bytes=MAX_BODY_BYTES
    )

    audiences = _audiences(data, errors, vocab)
    topics = _topics(data, errors)
    published_at = _datetime(data, "published_at", errors, required=False)
    cover = _image_path(data, "cover_image", base_dir, errors)

    body = body_parse(body_html or "")  # body_html is None when over its size limit
    if body_html is not None and not body.blocks:
        errors.append("正文为空：body 里没有可显示的内容")
    body_images = {}
    for src in body.image_sources:
        path = _resolve_image(src, base_dir, errors, label=f"正文图片 {_show(src)}")
        if path:
            body_images[src] = path

    fields = {"title": title, "summary": summary}
    poster = video_file = None
    regions = []
    if item_type == VIDEO.key:
        video_file = _video_path(data, base_dir, errors)
        fields.update(_video_fields(data, errors, has_file=video_file is not None))
        poster = _image_path(data, "poster_image", base_dir, errors)
    elif item_type == EMERGENCY.key:
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
        video_file=video_file,
    )
    item.fingerprint = _fingerprint(data, [cover, poster, video_file, *body_images.values()])
    return item


def _slug(data, errors) -> str | None:
    slug = data.get("slug")
    if not isinstance(slug, str) or not slug:
        errors.append("缺少 slug")
    elif len(slug) > 255 or not SLUG_RE.match(slug):
        errors.append(f"slug {_show(slug)} 不合法：只能包含英文字母、数字、连字符和下划线")
    return slug


def _audiences(data, errors, vocab: Vocabulary) -> list:
    audiences = data.get("audiences")
    if not isinstance(audiences, list) or not audiences:
        errors.append("audiences 必须是非空列表")
        return []
    if len(audiences) > MAX_AUDIENCES_PER_ITEM:
        errors.append(f"audiences 最多 {MAX_AUDIENCES_PER_ITEM} 项，这里有 {len(audiences)} 项")
        return []
    for slug_value in audiences:
        if not isinstance(slug_value, str) or slug_value not in vocab.audience_slugs:
            errors.append(f"未知受众 {_show(slug_value)}（可用：{'、'.join(sorted(vocab.audience_slugs))}）")
    return list(dict.fromkeys(a for a in audiences if isinstance(a, str) and a in vocab.audience_slugs))


def _topics(data, errors) -> list:
    topics = data.get("topics", [])
    if topics is None:
        topics = []
    if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
        errors.append("topics 必须是字符串列表")
        topics = []
    topics = list(dict.fromkeys(" ".join(t.split()) for t in topics if t.strip()))
    if len(topics) > MAX_TOPICS_PER_ITEM:
        errors.append(f"主题（topics）最多 {MAX_TOPICS_PER_ITEM} 个，这里有 {len(topics)} 个")
        return []
    for topic in topics:
        if len(topic) > MAX_TOPIC or "," in topic or '"' in topic:
            errors.append(f"主题 {_show(topic)} 不合法（不能含逗号或引号，最长 {MAX_TOPIC} 字）")
    return topics


def _video_fields(data, errors, *, has_file: bool) -> dict:
    url = data.get("video_url")
    if url in (None, "") and (has_file or "video_file" in data):
        url = ""  # the uploaded file plays (or its own error was reported)
    elif not isinstance(url, str) or not url.strip():
        errors.append("科普视频缺少 video_url 或 video_file")
        url = ""
    else:
        url = url.strip()
        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc or len(url) > 500:
            errors.append(f"video_url {_show(url)} 不是合法的 http(s) 地址")
    duration = data.get("duration_seconds")
    if duration is not None and (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not 0 <= duration <= MAX_DURATION_SECONDS
    ):
        errors.append(f"duration_seconds 必须是非负整数（秒），最多 {MAX_DURATION_SECONDS}（24 小时）")
        duration = None
    transcript = _text(
        data,
        "transcript",
        errors,
        required=False,
        label="字幕文稿",
        allow_empty=True,
        max_bytes=MAX_TRANSCRIPT_BYTES,
    )
    return {"video_url": url, "duration_seconds": duration, "transcript": transcript or ""}


def _emergency_fields(data, errors, vocab) -> tuple[dict, list]:
    hazards = [key for key, _ in HAZARD_CHOICES]
    hazard = data.get("hazard")
    if not isinstance(hazard, str) or hazard not in hazards:
        errors.append(f"未知灾种 {_show(hazard)}（可用：{'、'.join(hazards)}）")
    severity = data.get("severity")
    if not isinstance(severity, str) or severity not in SEVERITIES:
        errors.append(f"未知预警级别 {_show(severity)}（可用：{'、'.join(SEVERITIES)}）")
    regions_raw = data.get("regions")
    regions = []
    if not isinstance(regions_raw, list) or not regions_raw:
        errors.append("regions 必须是非空列表")
    elif len(regions_raw) > MAX_REGIONS_PER_ITEM:
        errors.append(f"regions 最多 {MAX_REGIONS_PER_ITEM} 项，这里有 {len(regions_raw)} 项")
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
    instructions = _text(
        data, "instructions", errors, required=True, label="防范指引", max_len=MAX_INSTRUCTIONS_LENGTH
    )
    takeover = data.get("takeover")
    if takeover is None:
        takeover = TAKEOVER_AUTO
    modes = [key for key, _ in TAKEOVER_CHOICES]
    if not isinstance(takeover, str) or takeover not in modes:
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


def _text(data, key, errors, *, required, label, max_len=None, max_bytes=None, allow_empty=False):
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
        return None
    if max_bytes and len(value.encode()) > max_bytes:
        errors.append(
            f"{label}（{key}）过长：{len(value.encode()) // 1024} KB，最多 {max_bytes // 1024} KB（UTF-8）"
        )
        return None
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
        if len(value) > 64 or not value.isascii():
            raise ValueError(value)
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        errors.append(f"{key} 日期格式错误：{_show(value)}（应为 ISO 8601，如 2026-07-01T08:00:00+08:00）")
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        errors.append(f"{key} 缺少时区偏移：{_show(value)}（如 +08:00）")
        return None
    try:
        in_utc = parsed.astimezone(UTC)  # year 1 at +14:00 (or 9999 at -14:00) leaves datetime's range
    except OverflowError:
        in_utc = None
    if in_utc is None or not MIN_YEAR <= parsed.year <= MAX_YEAR or not MIN_YEAR <= in_utc.year <= MAX_YEAR:
        errors.append(f"{key} 超出允许的范围：{_show(value)}（年份须在 {MIN_YEAR} 到 {MAX_YEAR} 之间）")
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


def _video_path(data, base_dir, errors):
    """``video_file``: an mp4/webm file inside the import file's folder, checked by its first bytes."""
    value = data.get("video_file")
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.append("video_file 必须是相对于导入文件的路径")
        return None
    path = _resolve_local(value, base_dir, errors, label="video_file")
    if path is None:
        return None
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        errors.append(f"video_file 不是支持的视频格式（mp4、webm）：{value}")
        return None
    if path.stat().st_size > MAX_VIDEO_BYTES:
        errors.append(f"video_file 过大（超过 {MAX_VIDEO_BYTES // 1024 // 1024} MB）：{value}")
        return None
    with path.open("rb") as handle:
        head = handle.read(12)
    is_mp4 = head[4:8] == b"ftyp"
    is_webm = head[:4] == b"\x1a\x45\xdf\xa3"
    if not (is_mp4 if path.suffix.lower() == ".mp4" else is_webm):
        errors.append(f"video_file 不是有效的视频文件：{value}")
        return None
    return path


def _resolve_local(value: str, base_dir: Path, errors, *, label):
    """The path of an existing file inside ``base_dir``, or ``None`` with the reason in ``errors``."""
    if urlparse(value).scheme or value.startswith(("/", "\\")):
        errors.append(f"{label} 必须是相对于导入文件的本地路径，不能是网址或绝对路径")
        return None
    try:
        path = (base_dir / value).resolve()
        inside = base_dir.resolve() in path.parents
        exists = inside and path.is_file()
    except (OSError, ValueError, RuntimeError):  # NUL byte, name too long, symlink loop
        errors.append(f"{label} 不是有效的文件路径")
        return None
    if not inside:
        errors.append(f"{label} 不能指向导入文件所在目录之外")
        return None
    if not exists:
        errors.append(f"{label} 文件不存在：{value}")
        return None
    return path


def _resolve_image(value: str, base_dir: Path, errors, *, label):
    path = _resolve_local(value, base_dir, errors, label=label)
    if path is None:
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


def _refuse_constant(name):
    raise ValueError(f"不支持 {name}")


def _finite_float(text):
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("数值超出范围")
    return number


def _json_object(raw_line: str) -> dict:
    """The line as a JSON object, or ``LineErrors`` with one reason; never another exception."""
    size = len(raw_line.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_LINE_BYTES:
        raise LineErrors([f"此行过大：{size // 1024} KB，每行最多 {MAX_IMPORT_LINE_BYTES // 1024} KB"])
    depth = deepest = 0
    brackets = raw_line.count("[") + raw_line.count("{")
    outside_strings = _JSON_STRING_RE.sub("", raw_line) if brackets > MAX_JSON_DEPTH else ""
    for bracket in re.findall(r"[\[\]{}]", outside_strings):
        depth = depth + 1 if bracket in "[{" else depth - 1
        deepest = max(deepest, depth)
    if deepest > MAX_JSON_DEPTH:
        raise LineErrors([f"JSON 嵌套过深：{deepest} 层，最多 {MAX_JSON_DEPTH} 层"])
    try:
        data = json.loads(raw_line, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise LineErrors([f"不是合法的 JSON（第 {exc.colno} 列：{exc.msg}）"]) from None
    except RecursionError:
        raise LineErrors([f"JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）"]) from None
    except ValueError as exc:  # NaN/Infinity, 1e999, or an integer of more than 4,300 digits
        reason = str(exc) if str(exc).startswith(("不支持", "数值")) else "数值过大"
        raise LineErrors([f"不是合法的 JSON（{reason}）"]) from None
    if not isinstance(data, dict):
        raise LineErrors(["每行必须是一个 JSON 对象"])
    if _has_bad_text(data):
        raise LineErrors(["文本含有空字符（\\u0000）或不成对的代理字符（\\ud800–\\udfff），无法保存"])
    return data


def _has_bad_text(value) -> bool:
    """Any string (key or value) the database cannot store; the depth is bounded before this runs."""
    if isinstance(value, str):
        return bool(_BAD_TEXT_RE.search(value))
    if isinstance(value, dict):
        return any(_has_bad_text(k) or _has_bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_bad_text(v) for v in value)
    return False


def _fingerprint(data: dict, paths) -> str:
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode())
    for path in paths:
        if path:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 60 else text[:57] + "…"
