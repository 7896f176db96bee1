"""import_content under hostile input: every bad line is ``file:line: reason`` in Chinese, nothing is
written, and a failure while writing rolls everything back and leaves no image file behind."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from content import limits
from content.importing import ImportFailed, content_import_file, services
from content.models import VideoPage

from .test_import import _article, _emergency, _video, write_jsonl  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def _errors(path):
    with pytest.raises(ImportFailed) as excinfo:
        content_import_file(path)
    return excinfo.value.errors


def _chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


NESTED = '{"type": "article", "slug": "deep", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
SHALLOW_BUT_TOO_DEEP = '{"type": "article", "slug": "deep", "x": ' + "[" * 11 + "]" * 11 + "}"

HOSTILE_LINES = [
    # dates
    (_article(published_at="0001-01-01T00:00:00+14:00"), "published_at 超出允许的范围"),
    (_article(published_at="9999-12-31T23:59:59-14:00"), "published_at 超出允许的范围"),
    (_article(published_at="0001-01-01T00:00:00+00:00"), "超出允许的范围"),
    (_article(published_at="1899-12-31T23:59:59+08:00"), "超出允许的范围"),
    (_article(published_at="2201-01-01T00:00:00+08:00"), "超出允许的范围"),
    (_article(published_at="2026-02-30T00:00:00+08:00"), "日期格式错误"),
    (_article(published_at="2026-01-01T25:00:00+08:00"), "日期格式错误"),
    (_article(published_at="2026-01-01T00:00:00+99:00"), "日期格式错误"),
    (_article(published_at="２０２６-01-01T00:00:00+08:00"), "日期格式错误"),
    (_article(published_at="2026-01-01T00:00:00+08:00" + "0" * 1000), "日期格式错误"),
    (_article(published_at=1767225600), "必须是 ISO 8601 字符串"),
    (_article(published_at=["2026"]), "必须是 ISO 8601 字符串"),
    (_emergency(effective_from="0001-01-01T00:00:00+14:00"), "effective_from 超出允许的范围"),
    (_emergency(expires_at="9999-12-31T23:59:59-14:00"), "expires_at 超出允许的范围"),
    # numbers
    (_video(duration_seconds=10**20), "duration_seconds 必须是非负整数"),
    (_video(duration_seconds=86_401), "duration_seconds 必须是非负整数"),
    (_video(duration_seconds=-1), "duration_seconds 必须是非负整数"),
    (_video(duration_seconds=1.5), "duration_seconds 必须是非负整数"),
    (_video(duration_seconds=True), "duration_seconds 必须是非负整数"),
    ('{"type": "video", "duration_seconds": ' + "9" * 5000 + "}", "不是合法的 JSON"),
    ('{"type": "video", "duration_seconds": NaN}', "不是合法的 JSON"),
    ('{"type": "video", "duration_seconds": Infinity}', "不是合法的 JSON"),
    ('{"type": "video", "duration_seconds": -Infinity}', "不是合法的 JSON"),
    ('{"type": "video", "duration_seconds": 1e999}', "不是合法的 JSON"),
    # structure
    (NESTED, "JSON 嵌套过深"),
    (SHALLOW_BUT_TOO_DEEP, "JSON 嵌套过深"),
    ("[1, 2, 3]", "每行必须是一个 JSON 对象"),
    ('"just a string"', "每行必须是一个 JSON 对象"),
    ("null", "每行必须是一个 JSON 对象"),
    ("42", "每行必须是一个 JSON 对象"),
    ("{", "不是合法的 JSON"),
    ('{"type": "article"} trailing', "不是合法的 JSON"),
    ("x" * (limits.MAX_IMPORT_LINE_BYTES + 1), "此行过大"),
    # text the database cannot store
    (_article(title="标题\u0000"), "空字符"),
    ('{"type": "article", "title": "\\ud800"}', "代理字符"),
    ('{"type": "article", "\\u0000": 1}', "空字符"),
    # wrong types anywhere
    (_article(type=["article"]), "未知类型"),
    (_article(type={"a": 1}), "未知类型"),
    (_article(slug=123), "缺少 slug"),
    (_article(slug=["a"]), "缺少 slug"),
    (_article(title=123), "标题（title）必须是字符串"),
    (_article(title={"zh": "x"}), "标题（title）必须是字符串"),
    (_article(summary=[]), "摘要（summary）必须是字符串"),
    (_article(body=["<p>x</p>"]), "正文（body）必须是字符串"),
    (_article(audiences="youth"), "audiences 必须是非空列表"),
    (_article(audiences=[{"slug": "youth"}]), "未知受众"),
    (_article(audiences=[["youth"]]), "未知受众"),
    (_article(audiences=[None]), "未知受众"),
    (_article(topics="防溺水"), "topics 必须是字符串列表"),
    (_article(topics=[1, 2]), "topics 必须是字符串列表"),
    (_article(topics=[{"a": 1}]), "topics 必须是字符串列表"),
    (_article(cover_image=["a.jpg"]), "cover_image 必须是相对于导入文件的路径"),
    (_article(cover_image="images/\u0000.jpg"), "空字符"),
    (_article(cover_image="images/" + "a" * 5000 + ".jpg"), "cover_image"),
    (_video(video_url=["https://x/y.mp4"]), "科普视频缺少 video_url"),
    (_video(transcript=42), "字幕文稿（transcript）必须是字符串"),
    (_video(poster_image=7), "poster_image 必须是相对于导入文件的路径"),
    (_emergency(hazard=["flood"]), "未知灾种"),
    (_emergency(hazard={"flood": 1}), "未知灾种"),
    (_emergency(severity=["red"]), "未知预警级别"),
    (_emergency(severity={"red": 1}), "未知预警级别"),
    (_emergency(regions="鄂城区"), "regions 必须是非空列表"),
    (_emergency(regions=[["鄂城区"]]), "未知区域"),
    (_emergency(instructions=["注意"]), "防范指引（instructions）必须是字符串"),
    (_emergency(takeover=["force"]), "未知大屏接管方式"),
    (_emergency(takeover={"force": 1}), "未知大屏接管方式"),
    # limits
    (_article(topics=[f"主题{n}" for n in range(limits.MAX_TOPICS_PER_ITEM + 1)]), "主题（topics）最多"),
    (_article(topics=[f"主题{n}" for n in range(1000)]), "主题（topics）最多"),
    (_article(topics=["长" * (limits.MAX_TOPIC_LENGTH + 1)]), "不合法"),
    (_article(audiences=["youth"] * (limits.MAX_AUDIENCES_PER_ITEM + 1)), "audiences 最多"),
    (_article(audiences=[f"x{n}" for n in range(100_000)]), "audiences 最多"),
    (_emergency(regions=["鄂城区"] * (limits.MAX_REGIONS_PER_ITEM + 1)), "regions 最多"),
    (_article(title="题" * (limits.MAX_TITLE_LENGTH + 1)), "标题（title）过长"),
    (_article(summary="摘" * (limits.MAX_SUMMARY_LENGTH + 1)), "摘要（summary）过长"),
    (_article(body="<p>" + "文" * (limits.MAX_BODY_BYTES // 3 + 1) + "</p>"), "正文（body）过长"),
    (_video(transcript="字" * (limits.MAX_TRANSCRIPT_BYTES // 3 + 1)), "字幕文稿（transcript）过长"),
    (_emergency(instructions="防" * (limits.MAX_INSTRUCTIONS_LENGTH + 1)), "防范指引（instructions）过长"),
]


@pytest.mark.parametrize(("row", "message"), HOSTILE_LINES, ids=range(len(HOSTILE_LINES)))
def test_hostile_line_is_refused_with_file_line_reason(write_jsonl, home, row, message):  # noqa: F811
    before = _media_files()
    path = write_jsonl([_article(slug="good-first"), row])
    errors = _errors(path)
    assert errors and all(e.startswith(f"{path}:2: ") for e in errors), errors
    assert any(message in e for e in errors), errors
    assert all(_chinese(e) and "Traceback" not in e for e in errors)
    assert not Page.objects.filter(slug="good-first").exists()
    assert _media_files() == before


def test_lines_at_the_limits_are_accepted(write_jsonl, home):  # noqa: F811
    path = write_jsonl(
        [
            _article(
                topics=[f"主题{n}" for n in range(limits.MAX_TOPICS_PER_ITEM)],
                title="题" * limits.MAX_TITLE_LENGTH,
                published_at="1900-01-01T00:00:00+00:00",
            ),
            _video(duration_seconds=limits.MAX_DURATION_SECONDS, transcript="字" * 30_000),
            _emergency(
                instructions="防" * limits.MAX_INSTRUCTIONS_LENGTH, expires_at="2200-01-01T00:00:00+08:00"
            ),
        ]
    )
    report = content_import_file(path)
    assert len(report.created) == 3


def test_the_command_reports_a_hostile_line_without_a_traceback(write_jsonl, home, capsys):  # noqa: F811
    path = write_jsonl([_article(published_at="0001-01-01T00:00:00+14:00"), NESTED])
    with pytest.raises(CommandError):
        call_command("import_content", str(path))
    err = capsys.readouterr().err
    assert f"{path}:1: " in err and f"{path}:2: " in err and "Traceback" not in err


def test_a_failure_while_writing_rolls_back_and_deletes_the_stored_images(write_jsonl, home, monkeypatch):  # noqa: F811
    """The second line fails after its cover image was stored: both pages and both image files go."""
    images = Path(write_jsonl([]).parent / "images")

    PILImage.new("RGB", (64, 36), (200, 20, 20)).save(images / "second.png")
    path = write_jsonl([_article(slug="first"), _video(slug="second", cover_image="images/second.png")])
    before = _media_files()
    images_before = get_image_model().objects.count()

    real_body = services.body_stream_data
    calls = []

    def failing_body(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_body(*args, **kwargs)

    monkeypatch.setattr(services, "body_stream_data", failing_body)
    errors = _errors(path)
    assert errors == [f"{path}:2: 写入时出错（disk full），整个文件已回滚，未导入任何内容"]
    assert not Page.objects.filter(slug__in=["first", "second"]).exists()
    assert get_image_model().objects.count() == images_before
    assert _media_files() == before
    # and the same file imports fine once the fault is gone
    monkeypatch.setattr(services, "body_stream_data", real_body)
    assert len(content_import_file(path).created) == 2
    assert len(_media_files()) > len(before)


def test_a_database_error_while_writing_is_reported_per_line(write_jsonl, home, monkeypatch):  # noqa: F811
    path = write_jsonl([_article(slug="first"), _video(slug="second", cover_image="images/cover.jpg")])
    before = _media_files()
    real_save = VideoPage.save

    def failing_save(self, *args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(VideoPage, "save", failing_save)
    errors = _errors(path)
    assert len(errors) == 1 and errors[0].startswith(f"{path}:2: 写入时出错")
    assert not Page.objects.filter(slug="first").exists()
    assert _media_files() == before
    monkeypatch.setattr(VideoPage, "save", real_save)


def test_a_deeply_nested_file_is_validated_quickly(write_jsonl, home):  # noqa: F811
    path = write_jsonl([NESTED] * 5 + ["x" * (limits.MAX_IMPORT_LINE_BYTES - 10)])
    started = time.monotonic()
    errors = _errors(path)
    assert len(errors) == 6 and time.monotonic() - started < 10
    assert os.path.getsize(path) > limits.MAX_IMPORT_LINE_BYTES
