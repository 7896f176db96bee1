from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from editorial import admin_views, check_views
from editorial.models import WordEntry
from editorial.page_views import checked_page_viewsets as viewsets
from editorial.services import CONFIRM_LOG_ACTION, check_record, page_check
from editorial.tasks import published_recheck_task


class WordEntryViewSet(SnippetViewSet):
    model = WordEntry
    icon = "warning"
    menu_label = "错敏词词库"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = admin_views.WordEntryIndexView
    list_display = ["phrase", "level", "category", "suggestion", "enabled", "updated_at"]
    list_filter = ["level", "category", "enabled"]
    search_fields = ["phrase", "suggestion", "note"]
    list_export = ["phrase", "level", "category", "suggestion", "exceptions", "note", "enabled", "updated_at"]
    list_per_page = 50
    copy_view_enabled = False
    ordering = ["level", "category", "phrase"]


register_snippet(WordEntryViewSet)


@hooks.register("register_admin_viewset")
def checked_page_viewsets():
    return viewsets()


@hooks.register("register_admin_urls")
def editorial_urls():
    return [
        path("reports/word-check/", admin_views.PublishedHitsReportView.as_view(), name="editorial_report"),
        path(
            "reports/word-check/results/",
            admin_views.PublishedHitsReportView.as_view(results_only=True),
            name="editorial_report_results",
        ),
        path("reports/word-check/recheck/", admin_views.recheck_now, name="editorial_recheck"),
        path(
            "word-check/awaiting/", admin_views.AwaitingConfirmationView.as_view(), name="editorial_awaiting"
        ),
        path(
            "word-check/awaiting/results/",
            admin_views.AwaitingConfirmationView.as_view(results_only=True),
            name="editorial_awaiting_results",
        ),
        path(
            "word-check/page/<int:page_id>/",
            check_views.LiveCheckOnEdit.as_view(),
            name="editorial_check_edit",
        ),
        path(
            "word-check/add/<str:content_type_app_name>/<str:content_type_model_name>/<int:parent_page_id>/",
            check_views.LiveCheckOnCreate.as_view(),
            name="editorial_check_add",
        ),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def report_menu_item():
    return ReportMenuItem("错敏词复查", reverse("editorial_report"), icon_name="warning", order=50)


@hooks.register("register_log_actions")
def log_actions(actions):
    actions.register_action(CONFIRM_LOG_ACTION, "确认错敏词警告", admin_views.confirm_log_message)


def _entry_changed(request, instance):
    if isinstance(instance, WordEntry):
        WordEntry.objects.filter(pk=instance.pk).update(updated_by=request.user)
        _recheck_after_commit()


def _recheck_after_commit():
    transaction.on_commit(published_recheck_task.enqueue)


hooks.register("after_create_snippet", _entry_changed)
hooks.register("after_edit_snippet", _entry_changed)


@hooks.register("after_delete_snippet")
def _entries_deleted(request, instances):
    if any(isinstance(instance, WordEntry) for instance in instances):
        _recheck_after_commit()


def _record(request, page):
    result = getattr(page, "wordcheck", None)
    if result is None:  # saved through a form that does not check (not a content page)
        return
    check_record(
        page,
        result,
        user=request.user,
        confirmed=getattr(page, "wordcheck_confirmed", False),
        action=getattr(page, "wordcheck_action", ""),
    )


hooks.register("after_create_page", _record)
hooks.register("after_edit_page", _record)


@hooks.register("before_bulk_action")
def refuse_bulk_publish_with_blocked_words(request, action_type, objects, action_class_instance):
    """Bulk 发布 skips the editor form; a page whose newest draft has a 禁用 hit stays unpublished."""
    if action_type != "publish":
        return None
    blocked = []
    for page in objects:
        draft = page.get_latest_revision_as_object() if page.latest_revision_id else page.specific
        result = page_check(draft)
        if result.blocked:
            blocked.append(f"“{page.get_admin_display_title()}”（{result.blocked[0].matched}）")
    if blocked:
        messages.error(request, f"以下页面含禁用词，不能批量发布，请逐篇改正：{'、'.join(blocked[:10])}")
        return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
    return None
