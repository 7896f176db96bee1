from django.templatetags.static import static
from django.urls import path, reverse_lazy
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import EditorsGuideView

# Wagtail's own help items that open guide.wagtail.org (English, on the internet).
WAGTAIL_ONLINE_HELP_ITEMS = {"editor-guide"}
WAGTAIL_ONLINE_HELP_PREFIXES = ("whats-new-in-wagtail-",)


@hooks.register("insert_global_admin_css")
def kepu_admin_css():
    """The project's admin styles (status tags, the WeChat preview frame, the screen monitor's bars)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/kepu-admin.css"))


@hooks.register("register_admin_urls")
def register_editors_guide_url():
    return [path("guide/", EditorsGuideView.as_view(), name="admin_site_editors_guide")]


@hooks.register("register_help_menu_item")
def register_editors_guide_menu_item():
    return MenuItem(
        "编辑指南",
        reverse_lazy("admin_site_editors_guide"),
        name="kepu-editors-guide",
        icon_name="help",
        order=1100,
    )


@hooks.register("construct_help_menu")
def hide_wagtail_online_guides(request, menu_items):
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_ONLINE_HELP_ITEMS
        and not item.name.startswith(WAGTAIL_ONLINE_HELP_PREFIXES)
    ]
