from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.admin_views import ContentListingGroup
from content.importing.history import IMPORT_LOG_ACTION, import_log_message
from content.models import Topic


@hooks.register("register_admin_viewset")
def register_content_listings():
    return ContentListingGroup()


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "主题标签"
    add_to_admin_menu = False
    list_display = ["name", "slug"]
    search_fields = ["name"]


register_snippet(TopicViewSet)


@hooks.register("register_log_actions")
def import_log_actions(actions):
    actions.register_action(IMPORT_LOG_ACTION, "导入", import_log_message)
