"""The editor's 错敏词检查 panel: every hit with its place, level and suggested fix, and the
confirmation checkbox for 警告 hits."""

from wagtail.admin.panels import Panel

from editorial.engine import current_list
from editorial.services import CONFIRM_FIELD, page_check


class WordCheckPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", "错敏词检查")
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "word_check"

    class BoundPanel(Panel.BoundPanel):
        template_name = "editorial/word_check_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # After a submit the form has checked exactly what was typed; otherwise check the draft.
            result = getattr(self.instance, "wordcheck", None)
            if result is None:
                result = page_check(self.instance)
            context.update(
                result=result,
                list_problem=current_list().problem,
                confirm_field=CONFIRM_FIELD,
                confirmed=bool(
                    self.form is not None and self.form.data.get(CONFIRM_FIELD) == result.warning_key
                ),
            )
            return context
