"""Video files in the import: ``video_file`` names an mp4/webm next to the import file; the demo
ships its videos that way, so the video pages play offline (issue 14, point 4)."""

import json
import re
import shutil
from pathlib import Path

import pytest
from wagtail.documents import get_document_model

from content.importing import ImportFailed, content_import_file
from content.models import VideoPage

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
CLIP = DEMO_DIR / "videos" / "stroke-120.mp4"
VIDEO_SRC = re.compile(r'<video [^>]*src="([^"]+)"')


def _video(**overrides):
    item = {
        "type": "video",
        "slug": "cpr-demo",
        "title": "心肺复苏演示",
        "summary": "跟着视频学会心肺复苏。",
        "body": "<p>心肺复苏的要点。</p>",
        "audiences": ["workers"],
        "published_at": "2026-06-03T09:00:00+08:00",
        "duration_seconds": 74,
        "transcript": "大家好。今天讲心肺复苏。",
    }
    item.update(overrides)
    return {k: v for k, v in item.items() if v is not None}


def _write(tmp_path, *items) -> Path:
    (tmp_path / "videos").mkdir(exist_ok=True)
    shutil.copyfile(CLIP, tmp_path / "videos" / "clip.mp4")
    path = tmp_path / "content.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


def test_demo_videos_are_small_files_next_to_the_demo():
    lines = [json.loads(line) for line in (DEMO_DIR / "demo.jsonl").read_text().splitlines() if line]
    videos = [item for item in lines if item["type"] == "video"]
    assert videos and all("video_url" not in item for item in videos)  # no placeholder host
    for item in videos:
        clip = DEMO_DIR / item["video_file"]
        assert clip.read_bytes()[4:8] == b"ftyp" and clip.stat().st_size < 150 * 1024, clip


def test_after_the_demo_import_a_video_page_plays_its_uploaded_file(home, client):
    content_import_file(DEMO_DIR / "demo.jsonl")
    page = VideoPage.objects.live().get(slug="stroke-120")
    assert page.video_file_id and not page.video_url
    src = VIDEO_SRC.search(client.get(page.url).content.decode()).group(1)
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("video/mp4")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == CLIP.read_bytes()
    # re-importing stores no second copy of any video
    documents = get_document_model().objects.count()
    assert content_import_file(DEMO_DIR / "demo.jsonl").updated == []
    assert get_document_model().objects.count() == documents == 16


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("../clip.mp4", "不能指向导入文件所在目录之外"),
        ("/etc/passwd", "不能是网址或绝对路径"),
        ("https://example.com/a.mp4", "不能是网址或绝对路径"),
        ("videos/none.mp4", "文件不存在"),
        ("content.jsonl", "不是支持的视频格式"),
        ("videos/fake.mp4", "不是有效的视频文件"),
        ("videos/fake.webm", "不是有效的视频文件"),
        (["videos/clip.mp4"], "必须是相对于导入文件的路径"),
    ],
)
def test_hostile_video_files_are_refused_and_nothing_is_stored(home, tmp_path, value, reason):
    path = _write(tmp_path, _video(video_file=value))
    (tmp_path / "videos" / "fake.mp4").write_text("<html>not a video</html>")
    (tmp_path / "videos" / "fake.webm").write_bytes(b"\x00\x00\x00\x18ftypisom")
    with pytest.raises(ImportFailed) as excinfo:
        content_import_file(path)
    assert reason in "\n".join(excinfo.value.errors)
    assert not VideoPage.objects.exists() and not get_document_model().objects.exists()


def test_a_video_needs_a_file_or_an_address(home, tmp_path):
    with pytest.raises(ImportFailed) as excinfo:
        content_import_file(_write(tmp_path, _video()))
    assert "缺少 video_url 或 video_file" in "\n".join(excinfo.value.errors)


def test_an_uploaded_file_wins_over_an_address_and_is_stored_once(home, tmp_path):
    path = _write(
        tmp_path,
        _video(video_file="videos/clip.mp4", video_url="https://media.example.cn/a.mp4"),
        _video(slug="second", video_file="videos/clip.mp4"),
    )
    content_import_file(path)
    first, second = VideoPage.objects.order_by("pk")
    assert first.video_file_id == second.video_file_id
    assert first.video_source_url == first.video_file.url
    assert get_document_model().objects.count() == 1
