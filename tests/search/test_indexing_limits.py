"""Indexing time is bounded for pathological text (content.limits.MAX_INDEXED_FIELD_CHARS and
chunked segmentation in search.analysis), and ordinary text is analysed as before."""

import time

import pytest

from content import limits
from content.models import VideoPage
from search.analysis import (
    SEGMENT_CHUNK_CHARS,
    _is_token,
    index_text,
    segmenter,
    text_chunks,
    text_normalise,
    text_words,
)
from search.documents import search_document_sync
from search.models import SearchDocument
from tests.factories import VideoPageFactory

PATHOLOGICAL = ["鼋", "的", "x1", "㐀", "🙂", "防溺水。", "a "]


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_a_megabyte_of_one_repeated_unit_is_analysed_quickly(unit):
    text = unit * (1_000_000 // len(unit.encode()))
    started = time.monotonic()
    index_text(text)
    assert time.monotonic() - started < 10


def test_a_megabyte_pathological_transcript_is_indexed_within_seconds(video_index, db):
    page = VideoPageFactory(parent=video_index, audiences=["elderly"], title="很长的字幕")
    # Older data (or any write that bypassed the import and admin limits): straight to the row.
    VideoPage.objects.filter(pk=page.pk).update(transcript="鼋" * 350_000 + "溺水急救" + "的" * 350_000)
    started = time.monotonic()
    document = search_document_sync(page.pk)
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    assert document is not None and SearchDocument.objects.filter(page_id=page.pk).exists()
    assert len(document.body) < 20 * limits.MAX_INDEXED_FIELD_CHARS  # bounded output too


def test_only_the_first_part_of_a_very_long_field_is_indexed():
    tail = "溺水急救"
    tokens = index_text("鼋" * limits.MAX_INDEXED_FIELD_CHARS + tail).split()
    assert "溺水" not in tokens
    assert "溺水" in index_text("鼋" * 100 + tail).split()


def test_chunks_cover_the_text_and_end_at_punctuation_when_they_can():
    text = ("预防溺水，从我做起。" * 400) + ("鼋" * 5000)
    chunks = text_chunks(text)
    assert "".join(chunks) == text
    assert all(len(c) <= SEGMENT_CHUNK_CHARS for c in chunks)
    assert all(c.endswith(("，", "。")) for c in chunks if "鼋" not in c)


def test_chunked_segmentation_leaves_ordinary_text_unchanged():
    paragraph = text_normalise(
        "夏季是溺水事故高发期。家长要看护好孩子，不私自下水游泳，不到无安全设施、无救援人员的水域游泳；"
        "发现有人溺水，要大声呼救，不盲目下水施救。遇到台风、暴雨等极端天气时，请关注气象预警信息。"
    )
    text = " ".join([paragraph] * 60)  # several chunks long
    assert len(text) > 3 * SEGMENT_CHUNK_CHARS
    whole = [t for t in (t.strip() for t in segmenter().cut_for_search(text)) if t and _is_token(t)]
    assert text_words(text) == whole
