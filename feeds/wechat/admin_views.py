"""Admin: 推送到公众号 (preview, push, push history) for one page, and the push log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from wagtail.admin.viewsets.base import ViewSet
from wagtail.models import Page

from content.models import CONTENT_MODELS

from .client import WeChatError, wechat_missing_settings
from .models import WeChatPush
from .services import wechat_article_preview, wechat_push_list, wechat_push_request


def _content_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, tuple(CONTENT_MODELS)):
        raise PermissionDenied
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return page


def wechat_push_view(request, page_id):
    page = _content_page(request, page_id)
    missing = wechat_missing_settings()
    if request.method == "POST":
        publish = request.POST.get("action") == "publish"
        try:
            push, queued = wechat_push_request(page, user=request.user, publish=publish)
        except WeChatError as exc:
            messages.error(request, str(exc))
        else:
            push.refresh_from_db()
            if not queued:
                messages.info(request, f"这个版本已经推送过（{push.get_status_display()}），未重复推送。")
            elif push.status == WeChatPush.FAILED:
                messages.error(request, f"推送失败：{push.error}")
            else:
                messages.success(request, f"已提交推送：{push.get_status_display()}")
        return redirect("wechat_admin:push", page_id=page.pk)
    return render(
        request,
        "wechat/admin/push.html",
        {
            "page": page,
            "missing": missing,
            "pushes": wechat_push_list(page),
            "preview_url": reverse("wechat_admin:preview", args=[page.pk]),
            "header_title": "推送到公众号",
        },
    )


def wechat_preview_view(request, page_id):
    """The packaged article as it will look in WeChat, for a phone-width frame."""
    page = _content_page(request, page_id)
    if not page.live:
        article = None
    else:
        article = wechat_article_preview(page, absolute=request.build_absolute_uri)
    return render(request, "wechat/admin/preview.html", {"page": page, "article": article})


def wechat_push_log_view(request):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    pushes = WeChatPush.objects.select_related("requested_by").order_by("-created_at", "-pk")[:200]
    return render(
        request,
        "wechat/admin/log.html",
        {"pushes": pushes, "missing": wechat_missing_settings(), "header_title": "公众号推送记录"},
    )


class WeChatAdminViewSet(ViewSet):
    name = "wechat_admin"
    url_prefix = "wechat"
    icon = "mail"
    menu_label = "公众号推送"
    menu_order = 270
    add_to_admin_menu = True

    @property
    def menu_url(self):
        return reverse("wechat_admin:log")

    def get_urlpatterns(self):
        return [
            path("", wechat_push_log_view, name="log"),
            path("pages/<int:page_id>/push/", wechat_push_view, name="push"),
            path("pages/<int:page_id>/preview/", wechat_preview_view, name="preview"),
        ]
