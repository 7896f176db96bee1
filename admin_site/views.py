"""帮助 → 编辑指南: docs/editors.md inside the admin (login required: admin URLs are wrapped by Wagtail)."""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .selectors import editors_guide_get


class EditorsGuideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "admin_site/editors_guide.html"
    page_title = "编辑指南"
    header_icon = "help"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "首页"}, {"url": "", "label": "编辑指南"}]

    def get_context_data(self, **kwargs):
        guide = editors_guide_get()
        self.page_title = guide.title
        return super().get_context_data(guide=guide, **kwargs)
