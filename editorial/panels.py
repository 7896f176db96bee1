"""The editor's 错敏词检查 panel: every hit with its place, level and suggested fix, and the
confirmation checkbox for 警告 hits. It re-checks the form as the author types (``check_views``)."""

from django import forms
from django.urls import NoReverseMatch, reverse
from wagtail.admin.panels import Panel

from editorial.engine import current_list
from editorial.services import CONFIRM_FIELD, page_check


def results_context(result, data=None) -> dict:
    return {
        "result": result,
        "list_problem": current_list().problem,
        "confirm_field": CONFIRM_FIELD,
        "confirmed": bool(
            data is not None and result.warning_key and data.get(CONFIRM_FIELD) == result.warning_key
        ),
    }


def check_url(request) -> str:
    """The live-check address for the editor this panel is in ('' outside the page editor)."""
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    try:
        if "page_id" in kwargs:
            return reverse("editorial_check_edit", args=(kwargs["page_id"],))
        if "parent_page_id" in kwargs:
            return reverse(
                "editorial_check_add",
                args=(
                    kwargs["content_type_app_name"],
                    kwargs["content_type_model_name"],
                    kwargs["parent_page_id"],
                ),
            )
    except (KeyError, NoReverseMatch):
        pass
    return ""


class WordCheckPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "错敏词检查")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "word_check"

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/word_check_panel.html"

        @property
        def media(self):
            return forms.Media(
                js=["editorial/js/word-check.js"], css={"all": ["editorial/css/word-check.css"]}
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # After a submit the form has checked exactly what was typed; otherwise check the draft.
            result = getattr(self.instance, "wordcheck", None)
            if result is None:
                result = page_check(self.instance)
            context.update(results_context(result, self.form.data if self.form is not None else None))
            context["check_url"] = check_url(self.request) if self.request is not None else ""
            return context
