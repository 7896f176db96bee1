"""import_content: all-or-nothing, file:line: reason errors, idempotent by slug (DESIGN.md §2)."""

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from content.importing import ImportFailed, content_import_file
from content.models import ArticlePage, EmergencyPage, VideoPage

pytestmark = pytest.mark.django_db
DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "demo.jsonl"


def _article(**overrides):
    item = {
        "type": "article",
        "slug": "summer-drowning",
        "title": "夏季防溺水“六不”",
        "summary": "不私自下水游泳。",
        "body": "<h2>为什么</h2><p>夏季是<strong>溺水</strong>高发期。</p><ul><li>不私自下水</li></ul>",
        "audiences": ["youth"],
        "topics": ["防溺水"],
        "published_at": "2026-06-01T09:00:00+08:00",
        "cover_image": "images/cover.jpg",
    }
    item.update(overrides)
    return item


def _video(**overrides):
    item = _article(
        type="video",
        slug="cpr-video",
        title="心肺复苏教学",
        video_url="https://media.kepu-ezhou.cn/v/cpr.mp4",
        duration_seconds=240,
        transcript="按压深度五到六厘米。",
        poster_image="images/cover.jpg",
    )
    item.update(overrides)
    return item


def _emergency(**overrides):
    item = _article(
        type="emergency",
        slug="cold-wave-blue",
        title="寒潮蓝色预警",
        hazard="cold_wave",
        severity="blue",
        regions=["鄂城区", "华容区"],
        effective_from="2026-12-01T08:00:00+08:00",
        expires_at="2026-12-03T08:00:00+08:00",
        instructions="1. 注意保暖\n2. 减少外出",
    )
    item.update(overrides)
    return item


@pytest.fixture
def write_jsonl(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    PILImage.new("RGB", (64, 36), (20, 120, 90)).save(images / "cover.jpg")

    def write(rows, name="content.jsonl"):
        path = tmp_path / name
        path.write_text(
            "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
            encoding="utf-8",
        )
        return path

    return write


def _errors(path):
    with pytest.raises(ImportFailed) as excinfo:
        content_import_file(path)
    return excinfo.value.errors


def test_demo_file_imports_with_every_type_and_audience(home):
    report = content_import_file(DEMO_FILE)
    assert len(report.created) >= 60
    assert ArticlePage.objects.live().count() >= 20
    assert VideoPage.objects.live().count() >= 10
    assert EmergencyPage.objects.live().count() >= 10
    for slug in ("youth", "farmers", "workers", "elderly", "officials"):
        count = sum(
            m.objects.filter(audiences__slug=slug).count() for m in (ArticlePage, VideoPage, EmergencyPage)
        )
        assert count >= 10, slug
    assert all(p.cover_image_id for p in ArticlePage.objects.all())


def test_reimporting_the_demo_file_changes_nothing(home):
    content_import_file(DEMO_FILE)
    revisions, images, pages = (
        Revision.objects.count(),
        get_image_model().objects.count(),
        Page.objects.count(),
    )
    report = content_import_file(DEMO_FILE)
    assert report.created == [] and report.updated == []
    assert len(report.unchanged) >= 60
    assert (Revision.objects.count(), get_image_model().objects.count(), Page.objects.count()) == (
        revisions,
        images,
        pages,
    )


def _demo_dated():
    spec = importlib.util.spec_from_file_location("demo_dated", DEMO_FILE.parent / "dated.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_demo_dates_current_warnings_around_today_and_reimports_idempotently(home, tmp_path):
    dated = _demo_dated()
    day = dt.date(2027, 3, 10)
    report = content_import_file(dated.demo_dated(DEMO_FILE, tmp_path, day))
    assert len(report.created) == 76

    shanghai = dt.timezone(dt.timedelta(hours=8))
    for hour in (0, 12, 23):  # whatever time of day `make demo` runs
        now = dt.datetime(day.year, day.month, day.day, hour, 59, tzinfo=shanghai)
        in_force = list(EmergencyPage.objects.live().in_force(now).prefetch_related("regions"))
        takeovers = [p for p in in_force if p.warning.takes_over]
        assert sorted(p.severity for p in takeovers) == ["orange", "red"]
        assert all(len(p.regions.all()) <= 2 for p in takeovers)
        assert len(in_force) - len(takeovers) >= 2
        calm = {"华容区", "临空经济区"}  # their screens keep playing ordinary content
        assert not calm & {r.name for p in takeovers for r in p.regions.all()}
        assert EmergencyPage.objects.live().upcoming(now).count() == 1
        assert EmergencyPage.objects.live().expired(now).count() >= 6

    again = content_import_file(dated.demo_dated(DEMO_FILE, tmp_path, day))
    assert again.created == [] and again.updated == [] and len(again.unchanged) == 76
    later = content_import_file(dated.demo_dated(DEMO_FILE, tmp_path, day + dt.timedelta(days=1)))
    assert len(later.updated) == 6 and len(later.unchanged) == 70  # only the warnings that move


def test_each_type_is_created_live_under_its_section(
    write_jsonl, article_index, video_index, emergency_index
):
    content_import_file(write_jsonl([_article(), _video(), _emergency()]))
    article = ArticlePage.objects.get(slug="summer-drowning")
    video = VideoPage.objects.get(slug="cpr-video")
    emergency = EmergencyPage.objects.get(slug="cold-wave-blue")
    assert article.live and article.get_parent().pk == article_index.pk
    assert video.get_parent().pk == video_index.pk and video.duration_seconds == 240 and video.poster_image_id
    assert emergency.get_parent().pk == emergency_index.pk
    assert {r.name for r in emergency.regions.all()} == {"鄂城区", "华容区"}
    assert emergency.instruction_lines == ["注意保暖", "减少外出"]
    assert article.first_published_at.isoformat() == "2026-06-01T01:00:00+00:00"
    assert [t.name for t in article.topics.all()] == ["防溺水"]
    assert [b.block_type for b in article.body] == ["heading", "paragraph"]
    assert article.cover_image.width == 64


def test_changed_line_updates_the_page_in_place(write_jsonl, home):
    content_import_file(write_jsonl([_article()]))
    page_id = ArticlePage.objects.get().pk
    report = content_import_file(
        write_jsonl([_article(title="夏季防溺水（修订版）", audiences=["youth", "elderly"])])
    )
    page = ArticlePage.objects.get()
    assert report.updated == ["summer-drowning"]
    assert page.pk == page_id and page.title == "夏季防溺水（修订版）"
    assert {a.slug for a in page.audiences.all()} == {"youth", "elderly"}
    assert page.live and not page.has_unpublished_changes


def test_bad_lines_import_nothing_and_each_is_reported_with_its_number(write_jsonl, home):
    path = write_jsonl(
        [
            _article(slug="good-one"),
            '{"type": "article", "slug": ',
            _article(slug="bad-audience", audiences=["kids"]),
            _video(slug="good-video"),
            _emergency(slug="bad-severity", severity="purple"),
            _emergency(slug="bad-date", effective_from="2026-13-45T00:00:00+08:00"),
        ]
    )
    errors = _errors(path)
    assert Page.objects.filter(slug__in=["good-one", "good-video"]).count() == 0
    assert errors[0].startswith(f"{path}:2: ") and "JSON" in errors[0]
    assert any(e.startswith(f"{path}:3: ") and "未知受众 “kids”" in e for e in errors)
    assert any(e.startswith(f"{path}:5: ") and "未知预警级别 “purple”" in e for e in errors)
    assert any(e.startswith(f"{path}:6: ") and "effective_from 日期格式错误" in e for e in errors)
    assert not any(f":{n}: " in e for e in errors for n in (1, 4))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_article(type="podcast"), "未知类型 “podcast”"),
        (_article(title=""), "标题（title）不能为空"),
        (_article(audiences=[]), "audiences 必须是非空列表"),
        (_article(published_at="2026-06-01T09:00:00"), "published_at 缺少时区偏移"),
        (_article(published_at="昨天"), "published_at 日期格式错误"),
        (_article(slug="中文路径"), "slug “中文路径” 不合法"),
        (_article(cover_image="images/missing.jpg"), "cover_image 文件不存在"),
        (_article(cover_image="../../etc/passwd"), "不能指向导入文件所在目录之外"),
        (_article(cover_image="https://example.com/a.jpg"), "必须是相对于导入文件的本地路径"),
        (_article(colour="red"), "不支持的字段：colour"),
        (_article(body="<script>alert(1)</script>"), "正文为空"),
        (_video(video_url="ftp://x/y.mp4"), "不是合法的 http(s) 地址"),
        (_video(duration_seconds="三分钟"), "duration_seconds 必须是非负整数"),
        (_emergency(hazard="meteor"), "未知灾种 “meteor”"),
        (_emergency(regions=["武汉市"]), "未知区域 “武汉市”"),
        (_emergency(expires_at="2026-11-30T08:00:00+08:00"), "expires_at 必须晚于 effective_from"),
        (_emergency(expires_at="2026-12-01T08:00:00+08:00"), "expires_at 必须晚于 effective_from"),
        (_emergency(regions=["鄂城区", "洪山区"]), "未知区域 “洪山区”"),
        (_emergency(takeover="always"), "未知大屏接管方式 “always”"),
        (_emergency(takeover=True), "未知大屏接管方式 true"),
        (_emergency(instructions=None), "缺少防范指引（instructions）"),
    ],
)
def test_each_kind_of_bad_input_gets_a_clear_reason(write_jsonl, home, row, message):
    path = write_jsonl([row])
    errors = _errors(path)
    assert any(e.startswith(f"{path}:1: ") and message in e for e in errors), errors
    assert not Page.objects.filter(slug=row.get("slug")).exists()


def test_emergency_takeover_is_optional_and_imported(write_jsonl, home):
    content_import_file(
        write_jsonl(
            [
                _emergency(),
                _emergency(slug="yellow-forced", severity="yellow", takeover="force"),
                _emergency(slug="red-suppressed", severity="red", takeover="suppress"),
                _emergency(slug="explicit-auto", takeover="auto"),
                _emergency(slug="null-is-auto", takeover=None),
            ]
        )
    )
    modes = dict(EmergencyPage.objects.values_list("slug", "takeover"))
    assert modes == {
        "cold-wave-blue": "auto",
        "yellow-forced": "force",
        "red-suppressed": "suppress",
        "explicit-auto": "auto",
        "null-is-auto": "auto",
    }
    assert EmergencyPage.objects.get(slug="yellow-forced").warning.takes_over is True
    assert EmergencyPage.objects.get(slug="red-suppressed").warning.takes_over is False
    # The line is the source: dropping the field goes back to the default on the next import.
    report = content_import_file(write_jsonl([_emergency(slug="yellow-forced", severity="yellow")]))
    assert report.updated == ["yellow-forced"]
    assert EmergencyPage.objects.get(slug="yellow-forced").takeover == "auto"


def test_duplicate_slug_in_file_and_clash_with_other_type(write_jsonl, home):
    content_import_file(write_jsonl([_video(slug="taken")], name="first.jsonl"))
    path = write_jsonl([_article(slug="dup"), _article(slug="dup"), _article(slug="taken")])
    errors = _errors(path)
    assert f"{path}:2: slug “dup” 与第 1 行重复" in errors
    assert f"{path}:3: slug “taken” 已被一篇科普视频使用" in errors


def test_body_html_is_sanitised(write_jsonl, home):
    body = (
        '<p onclick="x()">安全<b>知识</b><script>alert(1)</script></p>'
        '<p><a href="javascript:alert(1)">坏链接</a><a href="https://www.mem.gov.cn/">应急管理部</a></p>'
        '<div><span style="color:red">包裹的文字</span></div><p><img src="images/cover.jpg" alt="示意图"></p>'
    )
    content_import_file(write_jsonl([_article(body=body)]))
    page = ArticlePage.objects.get()
    html = "".join(str(b.value.source) if b.block_type == "paragraph" else "" for b in page.body)
    assert (
        "<strong>知识</strong>" in html
        and "包裹的文字" in html
        and '<a href="https://www.mem.gov.cn/">' in html
    )
    for bad in ("script", "onclick", "javascript:", "style=", "<div", "<span"):
        assert bad not in html
    assert [b.block_type for b in page.body][-1] == "image"
    assert page.body[-1].value["caption"] == "示意图"


def test_same_image_file_is_stored_once(write_jsonl, home):
    content_import_file(write_jsonl([_article(slug="a1"), _article(slug="a2"), _video()]))
    assert get_image_model().objects.count() == 1


def test_dry_run_validates_and_writes_nothing(write_jsonl, home, capsys):
    path = write_jsonl([_article(), _video()])
    call_command("import_content", str(path), "--dry-run")
    assert "试运行" in capsys.readouterr().out
    assert not Page.objects.filter(slug__in=["summer-drowning", "cpr-video"]).exists()


def test_command_reports_errors_and_fails(write_jsonl, home, capsys):
    path = write_jsonl([_article(audiences=["aliens"])])
    with pytest.raises(CommandError, match="未导入任何内容"):
        call_command("import_content", str(path))
    assert f"{path}:1: 未知受众 “aliens”" in capsys.readouterr().err


def test_missing_and_non_utf8_files_are_reported(tmp_path, home):
    assert "文件不存在" in _errors(tmp_path / "nope.jsonl")[0]
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes(json.dumps(_article(), ensure_ascii=False).encode("gbk"))
    assert "UTF-8" in _errors(gbk)[0]


def _stored_files(root) -> list:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_dry_run_of_the_demo_file_validates_every_line_and_writes_nothing(home, settings, capsys):
    """``import_content --dry-run`` is how the demo file (and any file) is checked before importing."""
    pages, files = Page.objects.count(), _stored_files(settings.MEDIA_ROOT)
    call_command("import_content", str(DEMO_FILE), "--dry-run")
    out = capsys.readouterr().out
    assert "试运行（未写入）：将新建 76 条，更新 0 条，未变化 0 条，共 76 条。" in out
    assert Page.objects.count() == pages
    assert get_image_model().objects.count() == 0 and get_document_model().objects.count() == 0
    assert _stored_files(settings.MEDIA_ROOT) == files


def test_dry_run_reports_each_bad_line_in_chinese_and_fails(write_jsonl, home, settings, capsys):
    path = write_jsonl(
        [
            _article(),
            _article(slug="second", audiences=["aliens"]),
            "{不是 JSON",
            _emergency(severity="purple"),
            _article(slug="second-copy", cover_image="images/missing.jpg"),
            _article(),
        ]
    )
    files = _stored_files(settings.MEDIA_ROOT)
    with pytest.raises(CommandError, match="5 处错误，未导入任何内容"):
        call_command("import_content", str(path), "--dry-run")
    err = capsys.readouterr().err
    assert f"{path}:2: 未知受众 “aliens”" in err
    assert f"{path}:3: 不是合法的 JSON" in err
    assert f"{path}:4: 未知预警级别 “purple”" in err
    assert f"{path}:5: " in err and "missing.jpg" in err
    assert f"{path}:6: slug “summer-drowning” 与第 1 行重复" in err
    assert f"{path}:1:" not in err
    assert not Page.objects.filter(slug__in=["summer-drowning", "cold-wave-blue"]).exists()
    assert _stored_files(settings.MEDIA_ROOT) == files


def test_dry_run_after_an_import_says_what_would_change(write_jsonl, home, capsys):
    content_import_file(write_jsonl([_article(), _video()]))
    revisions = Revision.objects.count()
    path = write_jsonl([_article(title="夏季防溺水“六不要”"), _video(), _emergency()], name="next.jsonl")
    call_command("import_content", str(path), "--dry-run")
    assert "将新建 1 条，更新 1 条，未变化 1 条，共 3 条。" in capsys.readouterr().out
    assert ArticlePage.objects.get(slug="summer-drowning").title == "夏季防溺水“六不”"
    assert Revision.objects.count() == revisions
    assert not EmergencyPage.objects.exists()


def test_demo_images_are_small_960x540_jpegs():
    images = sorted((DEMO_FILE.parent / "images").glob("*.jpg"))
    assert len(images) >= 30
    for path in images:
        with PILImage.open(path) as image:
            assert (image.format, image.size) == ("JPEG", (960, 540)), path.name
        assert path.stat().st_size <= 80 * 1024, path.name
    assert sum(path.stat().st_size for path in images) <= 3 * 1024 * 1024
