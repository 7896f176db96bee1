"""Who imported what: one page-history entry per imported line."""

import getpass

from wagtail.log_actions import log

IMPORT_LOG_ACTION = "content.import"


def importer_name(user) -> str:
    """The admin account given with ``--user``, else the operating-system account running the command."""
    if getattr(user, "pk", None):
        return user.get_username()
    try:
        return f"{getpass.getuser()}（系统账户）"
    except (KeyError, OSError):
        return "未知（系统账户）"


def page_imported_log(page, label: str, line: int, user) -> None:
    log(
        instance=page,
        action=IMPORT_LOG_ACTION,
        user=user if getattr(user, "pk", None) else None,
        data={"file": label, "line": line, "by": importer_name(user)},
    )


def import_log_message(log_entry) -> str:
    data = log_entry.data or {}
    return f"由 {data.get('by', '未知')} 从 {data.get('file', '?')}:{data.get('line', '?')} 导入"
