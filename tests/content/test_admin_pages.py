"""Editors create, preview, schedule and publish every content type through the admin views."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from content.models import ArticlePage, EmergencyPage, VideoPage

pytestmark = pytest.mark.django_db


def _common(title, slug, audiences):
    return {
        "title": title,
        "slug": slug,
        "summary": f"{title}的摘要",
        "source": "鄂州市科协",
        "author": "科普鄂州编辑部",
        "topics": "防灾减灾, 安全常识",
        "audiences": [a.pk for a in audiences],
        "body": streamfield(
            [
                ("heading", {"text": "为什么要注意", "level": "h2"}),
                ("paragraph", rich_text("<p>正文第一段：<b>关键信息</b>。</p>")),
                ("key_points", {"title": "划重点", "points": streamfield([("item", "不要慌张")])}),
                ("callout", {"kind": "tip", "title": "小贴士", "text": rich_text("<p>保持冷静。</p>")}),
            ]
        ),
        "comments": inline_formset([]),
    }


def _article_data(audiences):
    return _common("雷雨天气如何防雷击", "lightning-safety", audiences)


def _video_data(audiences):
    data = _common("三分钟学会心肺复苏", "cpr-in-three-minutes", audiences)
    data.update(
        video_url="https://media.kepu-ezhou.cn/videos/cpr.mp4",
        duration_seconds="180",
        transcript="胸外按压的深度为五到六厘米，频率每分钟一百到一百二十次。",
    )
    return data


def _emergency_data(audiences, regions):
    now = timezone.localtime()
    data = _common("暴雨橙色预警：减少外出", "rainstorm-orange-test", audiences)
    data.update(
        hazard="rainstorm",
        severity="orange",
        regions=[regions["鄂城区"].pk, regions["华容区"].pk],
        effective_from=(now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
        expires_at=(now + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        instructions="1. 立即停止户外作业\n2. 远离河道和低洼地带",
        takeover="auto",
    )
    return data


def _form_errors(response):
    form = response.context and response.context.get("form")
    return form.errors.as_data() if form is not None else response.content.decode()[:500]


CASES = [
    ("articlepage", ArticlePage, "article_index", lambda a, r: _article_data(a)),
    ("videopage", VideoPage, "video_index", lambda a, r: _video_data(a)),
    ("emergencypage", EmergencyPage, "emergency_index", _emergency_data),
]


def _post(admin_client, model_name, parent, data, action="action-publish"):
    url = reverse("wagtailadmin_pages:add", args=("content", model_name, parent.pk))
    form = _form(data)
    form[action] = action
    return admin_client.post(url, form)


def _form(data):
    """Flatten nested block data; multi-select fields stay lists (one value per choice)."""
    multi = {key: data[key] for key in ("audiences", "regions") if key in data}
    form = nested_form_data({k: v for k, v in data.items() if k not in multi})
    form.update(multi)
    return form


@pytest.mark.parametrize(("model_name", "model", "parent_fixture", "make_data"), CASES)
def test_editor_creates_and_publishes_then_public_sees_fields(
    admin_client, client, request, audiences, regions, model_name, model, parent_fixture, make_data
):
    parent = request.getfixturevalue(parent_fixture)
    data = make_data([audiences["elderly"], audiences["farmers"]], regions)

    response = _post(admin_client, model_name, parent, data)

    assert response.status_code == 302, _form_errors(response)
    page = model.objects.get(slug=data["slug"])
    assert page.live
    assert page.get_parent().pk == parent.pk
    assert {a.slug for a in page.audiences.all()} == {"elderly", "farmers"}
    assert {t.name for t in page.topics.all()} == {"防灾减灾", "安全常识"}

    html = client.get(page.url).content.decode()
    for visible in (
        data["title"],
        data["summary"],
        "鄂州市科协",
        "为什么要注意",
        "关键信息",
        "不要慌张",
        "老年人",
        "防灾减灾",
    ):
        assert visible in html
    assert "扫一扫在手机上查看" in html
    if model is VideoPage:
        assert data["video_url"] in html and "胸外按压" in html and "3:00" in html
    if model is EmergencyPage:
        assert "橙色预警" in html and "鄂城区" in html and "华容区" in html
        assert "立即停止户外作业" in html and "生效中" in html


@pytest.mark.parametrize(("model_name", "model", "parent_fixture", "make_data"), CASES)
def test_editor_can_preview_before_publishing(
    admin_client, request, audiences, regions, model_name, model, parent_fixture, make_data
):
    parent = request.getfixturevalue(parent_fixture)
    data = make_data([audiences["youth"]], regions)
    preview_url = reverse("wagtailadmin_pages:preview_on_add", args=("content", model_name, parent.pk))

    valid = admin_client.post(preview_url, _form(data))
    assert valid.json()["is_valid"] is True
    preview = admin_client.get(preview_url)

    assert preview.status_code == 200
    assert data["title"] in preview.content.decode()
    assert not model.objects.filter(slug=data["slug"]).exists()


@pytest.mark.parametrize(("model_name", "model", "parent_fixture", "make_data"), CASES)
def test_editor_can_schedule_publication(
    admin_client, client, request, audiences, regions, model_name, model, parent_fixture, make_data
):
    parent = request.getfixturevalue(parent_fixture)
    data = make_data([audiences["workers"]], regions)
    data["go_live_at"] = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")

    response = _post(admin_client, model_name, parent, data)

    assert response.status_code == 302
    page = model.objects.get(slug=data["slug"])
    assert not page.live
    assert page.scheduled_revision is not None
    assert client.get(f"{parent.url}{data['slug']}/").status_code == 404


def test_missing_audience_is_rejected_with_chinese_message(admin_client, article_index, audiences):
    data = _article_data([])
    response = _post(admin_client, "articlepage", article_index, data)
    assert response.status_code == 200
    assert "必需字段" in str(response.context["form"].errors["audiences"])
    assert not Page.objects.filter(slug=data["slug"]).exists()


def test_emergency_with_reversed_window_is_rejected(admin_client, emergency_index, audiences, regions):
    data = _emergency_data([audiences["elderly"]], regions)
    data["effective_from"], data["expires_at"] = data["expires_at"], data["effective_from"]
    response = _post(admin_client, "emergencypage", emergency_index, data)
    assert response.status_code == 200
    assert "失效时间必须晚于生效时间" in response.content.decode()


def test_admin_is_chinese_and_branded(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "控制面板 - 科普鄂州" in html
    assert "欢迎使用科普鄂州内容管理系统" in html
