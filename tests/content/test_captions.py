"""Captions: the transcript as WebVTT, served next to the video page and named by its <track>."""

import re

import pytest

from content.captions import captions_vtt_build, transcript_cues
from tests.factories import VideoPageFactory

TRANSCRIPT = (
    "大家好，今天我们来讲一讲心肺复苏。首先判断意识：拍打双肩，大声呼喊！\n"
    "然后拨打120，并请人取来AED。按压深度5到6厘米，频率每分钟100到120次；不要中断。"
)
CUE_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")


def _cues(vtt: str) -> list[tuple[int, int, str]]:
    """(start ms, end ms, text) of every cue; fails on anything that is not WebVTT."""
    assert vtt.startswith("WEBVTT\n\n")
    cues = []
    for block in vtt.strip().split("\n\n")[1:]:
        number, timing, *text = block.split("\n")
        assert number.isdigit()
        match = CUE_TIME.match(timing)
        assert match, timing
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + ms1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + ms2
        cues.append((start, end, "\n".join(text)))
    return cues


def _assert_monotonic(cues, *, ends_at=None):
    previous_end = 0
    for start, end, _ in cues:
        assert previous_end <= start < end
        previous_end = end
    if ends_at is not None:
        assert previous_end == ends_at


def test_captions_are_the_transcript_sentences_spread_over_the_duration():
    cues = _cues(captions_vtt_build(TRANSCRIPT, 60))
    _assert_monotonic(cues, ends_at=60_000)
    texts = [text for _, _, text in cues]
    assert texts[0] == "大家好，今天我们来讲一讲心肺复苏。"
    assert "首先判断意识：拍打双肩，大声呼喊！" in texts
    assert "".join(texts) == TRANSCRIPT.replace("\n", "")


def test_captions_without_a_duration_run_at_a_narration_pace():
    cues = _cues(captions_vtt_build(TRANSCRIPT, None))
    _assert_monotonic(cues)
    assert cues[-1][1] == round(len(TRANSCRIPT.replace("\n", "")) / 4 * 1000)


def test_long_sentences_are_cut_and_tiny_durations_still_give_readable_cues():
    text = "，".join(["这是一个很长很长的分句"] * 20) + "。" + "无标点" * 30
    cues = _cues(captions_vtt_build(text, 1))
    _assert_monotonic(cues)
    assert all(len(t) <= 40 for _, _, t in cues)
    assert all(end - start >= 800 for start, end, _ in cues)
    assert "".join(t for _, _, t in cues) == text


def test_cue_text_cannot_break_the_file_or_inject_markup():
    vtt = captions_vtt_build("<b>注意</b> & 提醒 --> 00:00:01.000\n\n\nWEBVTT\x00\x1b。第二句。", 10)
    cues = _cues(vtt)
    assert [t for _, _, t in cues] == [
        "&lt;b&gt;注意&lt;/b&gt; &amp; 提醒 → 00:00:01.000",
        "WEBVTT。",
        "第二句。",
    ]
    assert vtt.count("-->") == len(cues)


def test_a_transcript_without_text_has_no_captions():
    assert captions_vtt_build(" \n\t", 30) == ""
    assert transcript_cues("") == []


@pytest.mark.django_db
def test_video_page_links_its_captions_track_and_serves_them(client, video_index):
    page = VideoPageFactory(parent=video_index, transcript=TRANSCRIPT, duration_seconds=42)
    html = client.get(page.url).content.decode()
    track = f'<track kind="captions" srclang="zh-CN" label="中文字幕" default src="{page.url}captions/">'
    assert track in html
    assert '<section class="transcript"' in html and "<details" not in html  # open to read

    response = client.get(f"{page.url}captions/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    cues = _cues(response.content.decode())
    _assert_monotonic(cues, ends_at=42_000)
    assert cues[0][2] == "大家好，今天我们来讲一讲心肺复苏。"


@pytest.mark.django_db
def test_video_without_transcript_has_no_track_and_its_captions_are_404(client, video_index):
    page = VideoPageFactory(parent=video_index, transcript="")
    assert "<track" not in client.get(page.url).content.decode()
    assert client.get(f"{page.url}captions/").status_code == 404
