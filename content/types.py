"""The content types: the one place they are listed (key, Chinese label, page model, section).

Everything that names the types reads them here: the page models (their key, label, section and
``verbose_name``), the import, search parameters and labels, the screens' schedule choices, the
syndication scopes and the admin listings. Type-specific behaviour (a video's player, an
emergency's window) stays with its model; this module only says which types there are.

Pure data, so the model modules can import it: ``model`` and ``section`` resolve through the app
registry when asked.
"""

from dataclasses import dataclass

from django.apps import apps

APP_LABEL = "content"


@dataclass(frozen=True)
class ContentTypeEntry:
    key: str  # the import, API, feed and screen-schedule value: article / video / emergency
    label: str  # 图文科普: shown everywhere; the page model's verbose_name
    model_name: str  # the page model in the content app
    section_name: str  # its section page (``max_count = 1``): where pages of this type live

    @property
    def model(self):
        return apps.get_model(APP_LABEL, self.model_name, require_ready=False)

    @property
    def section(self):
        return apps.get_model(APP_LABEL, self.section_name, require_ready=False)

    @property
    def page_type(self) -> str:
        """``content.ArticlePage``: as Wagtail's ``parent_page_types`` and page choosers name it."""
        return f"{APP_LABEL}.{self.model_name}"

    @property
    def section_type(self) -> str:
        return f"{APP_LABEL}.{self.section_name}"

    @property
    def section_label(self) -> str:
        return f"{self.label}栏目"


ARTICLE = ContentTypeEntry("article", "图文科普", "ArticlePage", "ArticleIndexPage")
VIDEO = ContentTypeEntry("video", "科普视频", "VideoPage", "VideoIndexPage")
EMERGENCY = ContentTypeEntry("emergency", "应急科普", "EmergencyPage", "EmergencyIndexPage")

CONTENT_TYPES = (ARTICLE, VIDEO, EMERGENCY)  # in menu order
CONTENT_TYPE_KEYS = tuple(t.key for t in CONTENT_TYPES)
CONTENT_TYPE_LABELS = {t.key: t.label for t in CONTENT_TYPES}
CONTENT_TYPE_CHOICES = [(t.key, t.label) for t in CONTENT_TYPES]
CONTENT_PAGE_TYPES = [t.page_type for t in CONTENT_TYPES]  # for page choosers
SECTION_PAGE_TYPES = [t.section_type for t in CONTENT_TYPES]
# 图文科普、科普视频和应急科普: the types named in a sentence.
CONTENT_TYPE_LABELS_TEXT = f"{'、'.join(t.label for t in CONTENT_TYPES[:-1])}和{CONTENT_TYPES[-1].label}"
_BY_KEY = {t.key: t for t in CONTENT_TYPES}


def content_type_get(key: str) -> ContentTypeEntry | None:
    """The type with this key, or None."""
    return _BY_KEY.get(key)


def content_type_of(key: str) -> ContentTypeEntry:
    """The type of a key already validated (a section's, an import item's): KeyError otherwise."""
    return _BY_KEY[key]


def content_models() -> tuple:
    """The page models of the types, in menu order."""
    return tuple(t.model for t in CONTENT_TYPES)


def section_models() -> tuple:
    return tuple(t.section for t in CONTENT_TYPES)
