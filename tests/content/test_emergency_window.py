import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from content.emergency import ACTIVE, EXPIRED, UPCOMING, emergency_is_active, emergency_window_state
from tests.factories import EmergencyPageFactory, VideoPageFactory

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 7, 1, 8, 0, tzinfo=TZ)
END = dt.datetime(2026, 7, 3, 8, 0, tzinfo=TZ)
SECOND = dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (START - SECOND, UPCOMING),
        (START, ACTIVE),
        (START + SECOND, ACTIVE),
        (END - SECOND, ACTIVE),
        (END, EXPIRED),
        (END + SECOND, EXPIRED),
    ],
)
def test_window_edges_are_start_inclusive_end_exclusive(now, state):
    assert emergency_window_state(START, END, now) == state


def test_window_compares_instants_not_wall_clock():
    utc_start = START.astimezone(dt.UTC)  # 00:00 UTC is 08:00 in Ezhou
    assert emergency_window_state(utc_start, END, START) == ACTIVE


@pytest.mark.django_db
def test_unpublished_emergency_is_never_active(emergency_index):
    page = EmergencyPageFactory(parent=emergency_index, effective_from=START, expires_at=END)
    page.unpublish()
    page.refresh_from_db()
    assert not emergency_is_active(page, START + SECOND)


@pytest.mark.django_db
def test_is_active_property_follows_the_clock(emergency_index):
    page = EmergencyPageFactory(parent=emergency_index, effective_from=START, expires_at=END)
    with freeze_time(START - SECOND):
        assert not page.is_active
        assert page.window_state_label == "未生效"
    with freeze_time(START):
        assert page.is_active
        assert page.window_state_label == "生效中"
    with freeze_time(END):
        assert not page.is_active
        assert page.window_state_label == "已过期"


@pytest.mark.django_db
def test_expiry_must_follow_start(emergency_index):
    page = EmergencyPageFactory.build(effective_from=END, expires_at=START)
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "失效时间必须晚于生效时间" in str(excinfo.value)


def test_instruction_lines_drop_editors_numbering():
    page = EmergencyPageFactory.build(
        instructions="1. 立即撤离\n（2）关闭燃气\n3、拨打 119\n\n  不要乘坐电梯  "
    )
    assert page.instruction_lines == ["立即撤离", "关闭燃气", "拨打 119", "不要乘坐电梯"]


@pytest.mark.django_db
def test_video_needs_a_file_or_url():
    page = VideoPageFactory.build(video_url="")
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "请上传视频文件或填写视频地址" in str(excinfo.value)


def test_now_is_aware():
    assert timezone.now().tzinfo is not None
