"""The emergency audit trail: custom log actions shown in page history and the site history report."""

from wagtail import hooks
from wagtail.log_actions import LogFormatter

from content.emergency import SEVERITIES

from .services import AUDIT_CANCEL, AUDIT_PUBLISH


def _describe(log_entry) -> str:
    data = log_entry.data or {}
    severity = SEVERITIES.get(data.get("severity"))
    level = f"{severity.label}预警（{severity.level}）" if severity else "预警"
    if data.get("identifier"):
        return f"{level}，CAP {data.get('msg_type')} 消息 {data['identifier']}"
    return f"{level}，预警内容未变，未生成新的 CAP 消息"


@hooks.register("register_log_actions")
def register_emergency_log_actions(actions):
    @actions.register_action(AUDIT_PUBLISH)
    class EmergencyPublished(LogFormatter):
        label = "应急发布"

        def format_message(self, log_entry):
            return f"应急内容已发布：{_describe(log_entry)}"

    @actions.register_action(AUDIT_CANCEL)
    class EmergencyCancelled(LogFormatter):
        label = "应急解除"

        def format_message(self, log_entry):
            return f"应急内容已撤下：{_describe(log_entry)}"
