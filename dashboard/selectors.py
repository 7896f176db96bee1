"""Reads behind the dashboard panels (工作台). Each returns ``(total, first items)`` in a fixed number of
queries, whatever the number of items; permission checks stay in the panels.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Sum
from wagtail.models import GroupApprovalTask, Page, TaskState

from content.models import EmergencyPage
from feeds.screens.models import Screen
from feeds.screens.selectors import ONLINE_WITHIN
from feeds.wechat.models import WeChatPush
from search.models import SearchQueryStat

EXPIRING_WITHIN = timedelta(hours=24)
FAILED_PUSHES_WITHIN = timedelta(days=7)


@dataclass
class ReviewTask:
    """A workflow step waiting for the user: the page, the step and who submitted it."""

    page: Page
    task_state: TaskState

    @property
    def task_name(self) -> str:
        return self.task_state.task.name

    @property
    def requested_by(self):
        return self.task_state.workflow_state.requested_by


def review_task_user_is_reviewer(user) -> bool:
    """Whether the user takes part in any active review step (superusers take part in all)."""
    if user.is_superuser:
        return True
    return GroupApprovalTask.objects.filter(active=True, groups__in=user.groups.all()).exists()


def review_task_list(user, *, limit: int = 10) -> tuple[int, list[ReviewTask]]:
    """Pages whose current workflow step the user can approve — the queryset behind Wagtail's own
    "Awaiting your review" panel (``TaskState.objects.reviewable_by``) — oldest submission first.
    Only pages: snippets take no part in our workflows."""
    page_type = ContentType.objects.get_for_model(Page)
    states = TaskState.objects.reviewable_by(user).filter(workflow_state__base_content_type=page_type)
    total = states.count()
    if not total:
        return 0, []
    rows = list(
        states.select_related("task", "workflow_state__requested_by").order_by("started_at", "pk")[:limit]
    )
    pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in rows])
    items = [
        ReviewTask(page=pages[int(state.workflow_state.object_id)], task_state=state)
        for state in rows
        if int(state.workflow_state.object_id) in pages
    ]
    return total, items


@dataclass
class WarningsSummary:
    total: int  # in force now
    expiring_soon: int  # of those, expiring within EXPIRING_WITHIN
    items: list  # EmergencyPage, most severe first, each with .expiring_soon


def warning_in_force_list(*, now: datetime, limit: int = 10) -> WarningsSummary:
    """Published warnings in force at ``now``, most severe first; those that end within 24 hours are
    marked ``expiring_soon`` (someone should extend or let them lapse on purpose)."""
    soon = now + EXPIRING_WITHIN
    warnings = EmergencyPage.objects.live().in_force(now)
    counts = warnings.aggregate(total=Count("pk"), expiring_soon=Count("pk", filter=Q(expires_at__lte=soon)))
    items = list(warnings.most_severe_first()[:limit]) if counts["total"] else []
    for page in items:
        page.expiring_soon = page.expires_at <= soon
    return WarningsSummary(total=counts["total"], expiring_soon=counts["expiring_soon"], items=items)


def screen_offline_list(*, now: datetime, limit: int = 10) -> tuple[int, list[Screen]]:
    """Enabled screens with no heartbeat within ``ONLINE_WITHIN`` (as on 大屏监控), longest silent first;
    a disabled screen is switched off on purpose and is not offline."""
    offline = Screen.objects.filter(enabled=True).filter(
        Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=now - ONLINE_WITHIN)
    )
    total = offline.count()
    if not total:
        return 0, []
    items = offline.select_related("district").order_by("last_seen_at", "name", "pk")[:limit]
    return total, list(items)


def wechat_push_failed_list(*, now: datetime, limit: int = 10) -> tuple[int, list[WeChatPush]]:
    """Pushes that failed within the last seven days, newest first, leaving out pages pushed
    successfully since (the failure has been dealt with)."""
    later_success = WeChatPush.objects.filter(
        page=OuterRef("page"),
        created_at__gt=OuterRef("created_at"),
        status__in=[WeChatPush.DRAFTED, WeChatPush.PUBLISHING, WeChatPush.PUBLISHED],
    )
    failed = WeChatPush.objects.filter(
        status=WeChatPush.FAILED, created_at__gte=now - FAILED_PUSHES_WITHIN
    ).exclude(Exists(later_success))
    total = failed.count()
    if not total:
        return 0, []
    return total, list(failed.order_by("-created_at", "-pk")[:limit])


def week_start(today: date) -> date:
    """Monday of ``today``'s week."""
    return today - timedelta(days=today.weekday())


def search_zero_result_list(*, today: date, limit: int = 10) -> tuple[int, list[dict]]:
    """This week's searches (Monday to ``today``) that found nothing: the number of distinct queries,
    and the top ones as ``{"query", "zero_result_hits"}``, most frequent first."""
    rows = (
        SearchQueryStat.objects.filter(day__gte=week_start(today), day__lte=today, zero_result_hits__gt=0)
        .values("query")
        .annotate(zero_result_hits=Sum("zero_result_hits"))
    )
    total = rows.count()
    if not total:
        return 0, []
    return total, list(rows.order_by("-zero_result_hits", "query")[:limit])
