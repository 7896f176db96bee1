"""Packaging a page as a WeChat article: clean inline-styled HTML within WeChat's limits."""

from django.utils import timezone

from feeds.wechat.packaging import article_fields_build, images_replace, truncate, wechat_html_clean
from feeds.wechat.services import article_html, wechat_article_preview
from tests.factories import ArticlePageFactory, EmergencyPageFactory, ImageFactory

HOSTILE = (
    '<div class="rich-text"><p onclick="steal()">正文<a href="https://evil.example/">链接文字</a></p>'
    "<script>alert(1)</script><style>p{color:red}</style><iframe src='https://x'></iframe>"
    "<form><input name=q></form><!-- 注释 --><p></p>"
    '<img src="/media/images/a.jpg" alt="图" onerror="x()"><img src="javascript:alert(1)">'
    '<video src="/media/v.mp4"></video><h1>大标题</h1><table class="t"><tr><td colspan="2">格</td></tr></table></div>'
)


def test_scripts_styles_forms_and_event_handlers_never_survive():
    clean = wechat_html_clean(HOSTILE)
    html = clean.html.lower()
    for forbidden in (
        "<script",
        "<style",
        "<iframe",
        "<form",
        "<input",
        "onclick",
        "onerror",
        "javascript:",
        "class=",
        "<!--",
        "<a ",
    ):
        assert forbidden not in html, forbidden
    assert "alert(1)" not in html and "color:red" not in html


def test_kept_text_is_inline_styled_and_images_are_listed():
    clean = wechat_html_clean(HOSTILE)
    assert "正文链接文字" in clean.html  # links to other sites are not allowed: their text stays
    assert '<p style="' in clean.html and '<h2 style="' in clean.html  # h1 becomes the article's h2
    assert 'colspan="2"' in clean.html
    assert "本文含视频" in clean.html  # a video becomes a pointer to the portal
    assert clean.image_sources == ["/media/images/a.jpg"]


def test_images_are_swapped_for_wechat_urls_and_unknown_ones_dropped():
    clean = wechat_html_clean('<p>a</p><img src="/media/a.jpg"><img src="https://elsewhere/b.jpg">')
    html = images_replace(clean.html, {"/media/a.jpg": "http://mmbiz.qpic.cn/a/0"})
    assert 'src="http://mmbiz.qpic.cn/a/0"' in html and "elsewhere" not in html


def test_fields_respect_wechat_limits(article_index):
    page = ArticlePageFactory(
        parent=article_index,
        title="这是一个非常非常长的科普文章标题，用来检验标题是否会按照微信的三十二个字的限制被截断处理",
        author="鄂州市科学技术协会科普部与鄂州市应急管理局联合",
        summary="摘" * 300,
    )
    fields = article_fields_build(page, content="<p>x</p>", thumb_media_id="m1", source_url="https://kepu/x/")
    assert len(fields["title"]) == 32 and fields["title"].endswith("…")
    assert len(fields["author"]) <= 16
    assert len(fields["digest"]) <= 128
    assert fields["content_source_url"] == "https://kepu/x/" and fields["thumb_media_id"] == "m1"
    assert fields["pic_crop_235_1"] == "0_0_1_1"
    assert truncate("短标题", 32) == "短标题"


def test_emergency_article_leads_with_the_warning_and_instructions(emergency_index):
    page = EmergencyPageFactory(parent=emergency_index, severity="red", regions=["鄂城区", "华容区"])
    html = article_html(page).html
    assert "暴雨红色预警 · 一级 · " in html and "生效中" in html and "鄂城区、华容区" in html
    assert f"{timezone.localtime(page.expires_at).year}年" in html  # the window carries the year
    assert html.index("防范指引") < html.index("远离低洼地带")
    assert "background:#c62828" in html
    assert "class=" not in html  # inline styles only: WeChat keeps no stylesheet


def test_an_emergency_packaged_after_its_window_says_expired(emergency_index):
    page = EmergencyPageFactory(parent=emergency_index)
    html = article_html(page, now=page.expires_at).html
    assert "已过期" in html and "生效中" not in html


def test_preview_uses_local_images_and_reports_fit(article_index):
    cover = ImageFactory(file__width=1800, file__height=900)
    page = ArticlePageFactory(
        parent=article_index, cover_image=cover, body=[("image", {"image": cover, "caption": "图注"})]
    )
    preview = wechat_article_preview(page, absolute=lambda url: f"http://testserver{url}")
    assert preview["fits"] is True
    assert 'src="http://testserver/media/' in preview["content"]
    assert preview["cover_url"].endswith(".jpg") and "fill-900x383" in preview["cover_url"]
