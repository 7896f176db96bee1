from django.urls import reverse
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import PlayReportMenu, ScreenCreateView, ScreenMonitorViewSet
from .models import Screen, ScreenGroup


class ScreenViewSet(SnippetViewSet):
    model = Screen
    icon = "desktop"
    menu_label = "屏幕"
    add_view_class = ScreenCreateView
    list_display = ["name", "district", "place_type", "group", "resolution", "enabled", "last_seen_at"]
    list_filter = ["district", "place_type", "group", "enabled"]
    search_fields = ["name", "location"]
    copy_view_enabled = False
    list_export = ["name", "district", "place_type", "location", "group", "enabled", "last_seen_at"]


class ScreenGroupViewSet(SnippetViewSet):
    model = ScreenGroup
    icon = "folder-open-inverse"
    menu_label = "屏幕分组与节目"
    list_display = ["name", "description", "default_duration", "item_limit"]
    search_fields = ["name"]


class ScreenGroupMenu(ViewSetGroup):
    menu_label = "科普大屏"
    menu_icon = "desktop"
    menu_order = 260
    items = (ScreenViewSet, ScreenGroupViewSet, ScreenMonitorViewSet, PlayReportMenu)


register_snippet(ScreenGroupMenu)


@hooks.register("register_snippet_listing_buttons")
def screen_rotate_token_button(snippet, user, next_url=None):
    if isinstance(snippet, Screen) and user.has_perm("screens.change_screen"):
        yield ListingButton(
            "更换令牌",
            reverse("screen_monitor:rotate_token", args=[snippet.pk]),
            icon_name="key",
            priority=30,
        )
