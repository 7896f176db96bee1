"""The editors' guide (docs/editors.md) as HTML for the admin's 帮助 → 编辑指南."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from django.conf import settings
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

SAFE_URL_SCHEMES = {"", "http", "https", "mailto"}


@dataclass(frozen=True)
class EditorsGuide:
    title: str
    html: str
    toc_html: str


def editors_guide_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "editors.md"


def editors_guide_get() -> EditorsGuide:
    """Read docs/editors.md afresh on every call: the file is short and edited in the repository,
    so a deploy (or an editor's working copy under ``make run``) shows its current text."""
    return editors_guide_render(editors_guide_path().read_text(encoding="utf-8"))


def editors_guide_render(source: str) -> EditorsGuide:
    """Markdown → HTML with a table of contents. Only Markdown is rendered: raw HTML in the source is
    shown as text, never passed through, and links keep only http(s), mailto and relative targets."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc"],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_UnsafeLinkStripper(md), "unsafe_links", 0)
    title, body = "编辑指南", source.lstrip()
    if body.startswith("# "):  # the document's own title becomes the admin page's header
        first_line, _, body = body.partition("\n")
        title = first_line[2:].strip()
    html = md.convert(body)
    return EditorsGuide(title=title, html=html, toc_html=md.toc)


class _UnsafeLinkStripper(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and urlsplit(value.strip()).scheme.lower() not in SAFE_URL_SCHEMES:
                    del element.attrib[attribute]
