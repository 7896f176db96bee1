"""What the project's admin listings and reports share: exports that open in Excel in Chinese, and
permission policies for records the site writes itself (logs, statistics), which nobody edits by hand."""

import csv
import datetime

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin, list_to_str
from wagtail.permission_policies import ModelPermissionPolicy

CSV_BOM = "\ufeff"  # Excel reads a CSV as UTF-8 only when it starts with one
EXPORT_CHUNK = 2000  # rows fetched at a time while streaming a CSV: exports can be large
WRITE_ACTIONS = frozenset({"add", "change", "delete"})


def _local_text(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    # XLSX has no time zones: the office reads Beijing time, not UTC (Wagtail's default).
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


class ChineseExportMixin:
    """CSV and XLSX exports (``?export=csv|xlsx``) for Chinese office software: a CSV starts with a BOM,
    times are local, booleans read 是/否, and a CSV streams in chunks instead of loading every row.

    ``export_format`` may be set on a view class to make every request an export (a fixed ``.csv`` URL).
    """

    export_format = None
    custom_value_preprocess = {
        bool: {SpreadsheetExportMixin.FORMAT_CSV: _yes_no, SpreadsheetExportMixin.FORMAT_XLSX: _yes_no},
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: _local_text,
            SpreadsheetExportMixin.FORMAT_XLSX: _local_naive,
        },
        (datetime.date, datetime.time): {SpreadsheetExportMixin.FORMAT_XLSX: None},
        list: {
            SpreadsheetExportMixin.FORMAT_CSV: list_to_str,
            SpreadsheetExportMixin.FORMAT_XLSX: list_to_str,
        },
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.export_format is None:
            self.export_format = request.GET.get("export")
        self.is_export = self.export_format in self.FORMATS

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            return self.as_spreadsheet(context["object_list"], self.export_format)
        return super().render_to_response(context, **response_kwargs)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield CSV_BOM
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        rows = queryset.iterator(chunk_size=EXPORT_CHUNK) if isinstance(queryset, QuerySet) else queryset
        for item in rows:
            yield self.write_csv_row(writer, self.to_row_dict(item))


class ChineseInspectMixin:
    """An inspect view's values as an editor reads them: 是/否, local times, — for nothing (not
    "True", "None" or UTC)."""

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if isinstance(value, bool):
            return _yes_no(value)
        if isinstance(value, datetime.datetime):
            return f"{timezone.localtime(value):%Y-%m-%d %H:%M:%S}" if timezone.is_aware(value) else value
        if value is None or value == "":
            return "—"
        return super().get_field_display_value(field_name, field)


class StatusColumn(Column):
    """A status as a Wagtail status tag. ``tone(row)`` says how it reads: "good" (the primary, filled
    tag), "bad" (needs someone: red, kepu-admin.css) or anything else (a plain tag)."""

    cell_template_name = "admin_site/status_cell.html"

    def __init__(self, name, tone=None, **kwargs):
        super().__init__(name, **kwargs)
        self.tone = tone

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["tone"] = self.tone(instance) if self.tone else ""
        return context


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Nobody, superusers included, may add, change or delete; viewing follows the model's permissions.

    For records the site writes itself: editing one by hand would make the log or the report lie."""

    def user_has_permission(self, user, action):
        return action not in WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in WRITE_ACTIONS])


class AdminReadOnlyPermissionPolicy(ReadOnlyPermissionPolicy):
    """Read-only, and every user who may use the admin may view (a log editors act on, not a secret)."""

    def user_has_permission(self, user, action):
        if action == "view":
            return user.is_active and user.has_perm("wagtailadmin.access_admin")
        return super().user_has_permission(user, action)
