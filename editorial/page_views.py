"""Approving a review step outside the editor (the 审核 dialog from the dashboard or the page
listing) goes through the same 禁用 rule as the editor: the list may have changed since the page
was submitted, and the last approval publishes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet

from editorial.recheck import content_page_models
from editorial.services import page_check


class CheckedWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        if self.action_name == "approve":
            draft = self.task_state.revision.as_object()
            blocked = page_check(draft).blocked
            if blocked:
                words = "、".join(dict.fromkeys(f"“{hit.matched}”（{hit.position}）" for hit in blocked))
                messages.error(
                    request, f"不能审核通过：内容含禁用词 {words}。请退回修改，或在编辑页改正后再通过。"
                )
                edit_url = reverse("wagtailadmin_pages:edit", args=(self.object.pk,))
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    return self.render_modal_json(request, {"step": "success", "redirect": edit_url})
                return redirect(edit_url)
        return super().post(request, *args, **kwargs)


def checked_page_viewsets():
    """One page viewset per content type, differing from Wagtail's only in the workflow action."""
    viewsets = []
    for model in content_page_models():
        viewset_class = type(
            f"Checked{model.__name__}ViewSet",
            (PageViewSet,),
            {"model": model, "workflow_action_view_class": CheckedWorkflowActionView},
        )
        viewsets.append(viewset_class(name=f"checked_{model._meta.model_name}"))
    return viewsets
