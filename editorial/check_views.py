"""The live check behind the editor's 错敏词检查 panel: the edit form as it is now, checked without
saving anything. Built on Wagtail's preview views, which already know how to bind an unsaved form."""

from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from wagtail.admin.views.pages.preview import PreviewOnCreateView, PreviewOnEditView

from editorial.panels import results_context
from editorial.services import page_check


class _LiveCheck:
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            form = self.get_form(request.POST)
            form.is_valid()  # binds the typed values to the page; the content form adds its check
        except (KeyError, ValueError, TypeError):  # a truncated or forged form, not the editor's own
            return HttpResponseBadRequest(
                "表单数据不完整，无法检查".encode(), content_type="text/plain; charset=utf-8"
            )
        page = form.instance
        result = getattr(page, "wordcheck", None) or page_check(page)
        return TemplateResponse(
            request,
            "editorial/word_check_results.html",
            {**results_context(result, request.POST), "check_url": request.path},
        )


class LiveCheckOnEdit(_LiveCheck, PreviewOnEditView):
    pass


class LiveCheckOnCreate(_LiveCheck, PreviewOnCreateView):
    pass
