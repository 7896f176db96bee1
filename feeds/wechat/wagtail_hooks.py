from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from content.models import CONTENT_MODELS

from .admin_views import WeChatAdminViewSet


@hooks.register("register_admin_viewset")
def register_wechat_admin():
    return WeChatAdminViewSet()


def _push_button(page, user, priority):
    specific_class = page.specific_class
    if specific_class in CONTENT_MODELS and page.permissions_for_user(user).can_publish():
        return Button(
            "推送到公众号", reverse("wechat_admin:push", args=[page.pk]), icon_name="mail", priority=priority
        )
    return None


@hooks.register("register_page_header_buttons")
def wechat_page_header_button(page, user, view_name, next_url=None):
    button = _push_button(page, user, 66)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def wechat_page_listing_button(page, user, next_url=None):
    button = _push_button(page, user, 55)
    if button:
        yield button
