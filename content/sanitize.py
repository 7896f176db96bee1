"""The one allow-list HTML sanitizer: every piece of HTML that came from outside goes through here.

Contract (docs/security.md):

- ``html_sanitize(html) -> str`` returns a well-formed fragment that contains only the tags in
  ``ALLOWED_TAGS`` with the attributes in ``ALLOWED_ATTRIBUTES``. Everything else is removed:
  unknown tags are unwrapped to their text, ``script``/``style``/``svg``/``math``/``iframe``… go
  with their content, comments and CDATA sections never survive, nor does any event handler,
  ``style``, ``class``, ``srcset`` or ``data-*`` attribute other than Wagtail's ``data-block-key``.
- The allow-list is the import contract (p h2 h3 ul ol li strong em a img, DESIGN.md §2) plus what
  our rich-text blocks legitimately store (``RICH_TEXT_FEATURES``: b i sup sub br, Wagtail's
  ``data-block-key`` on blocks and ``<a linktype="page" id="N">`` internal links).
- Link targets (``a[href]``) are http, https, mailto and tel URLs, real site paths (``/x``, never
  ``//host`` or ``/\\host``) and fragments (``#x``). Image sources (``img[src]``) are http, https,
  site paths or relative file paths (the import resolves those to uploaded images). A URL with a
  backslash, a control character or any other scheme (``javascript:``, ``data:``, ``vbscript:``,
  in any case or encoding) is dropped; a link left without a target is unwrapped to its text.
- The output is stable: ``html_sanitize(html_sanitize(x)) == html_sanitize(x)``.

Parsing is html5ever's (the HTML standard's algorithm, through the maintained ``nh3``/ammonia
binding), so the sanitizer sees the same tree a browser would build.
"""

import re

import nh3

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "html_sanitize", "link_url_is_safe"]

ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "b", "i", "a", "img", "br", "sup", "sub"}
)
_BLOCK_KEY = {"data-block-key"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "linktype", "id"},
    "img": {"src", "alt"},
    "p": _BLOCK_KEY,
    "h2": _BLOCK_KEY,
    "h3": _BLOCK_KEY,
    "ul": _BLOCK_KEY,
    "ol": _BLOCK_KEY,
    "li": _BLOCK_KEY,
}
# Removed together with everything inside them: their text is code or markup, not prose.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "noembed", "noframes", "xmp", "iframe", "frame",
        "frameset", "object", "embed", "applet", "svg", "math", "textarea", "select", "title", "head",
    }
)  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
IMAGE_SCHEMES = frozenset({"http", "https"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# C0 controls, DEL, C1 controls and the backslash (browsers read "\" as "/" in URLs).
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
_BLOCK_KEY_VALUE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Links whose target was refused: no href and no Wagtail link type (``a`` never nests once parsed).
_EMPTY_LINK = re.compile(r'<a(?: id="[0-9]*")?>(.*?)</a>', re.DOTALL)


def link_url_is_safe(url: str, *, image: bool = False) -> bool:
    """Whether ``url`` (an attribute value, entities already decoded) may be a link target, or an
    image source when ``image`` is true. See the module docstring for the rules."""
    url = url.strip(" \t\n\r\f")
    if not url or _UNSAFE_URL_CHARS.search(url):
        return False
    if url.startswith("//"):
        return False  # protocol-relative: another host
    if url.startswith("/") or (url.startswith("#") and not image):
        return True
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in (IMAGE_SCHEMES if image else LINK_SCHEMES)
    # No scheme and not a site path: a relative file path. Images in an import file are written that
    # way (resolved against the file); a relative link would depend on the page's URL, so refuse it.
    return image and ":" not in url.split("/", 1)[0]


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value.strip() if link_url_is_safe(value) else None
    if tag == "img" and attribute == "src":
        return value.strip() if link_url_is_safe(value, image=True) else None
    if tag == "a" and attribute == "linktype":
        return value if value == "page" else None
    if tag == "a" and attribute == "id":
        return value if value.isascii() and value.isdigit() else None
    if attribute == "data-block-key":
        return value if _BLOCK_KEY_VALUE.match(value) else None
    return value  # alt: plain text, escaped on output


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel=None,  # stored HTML stays in Wagtail's format; templates decide rel
    url_schemes=set(LINK_SCHEMES),
    generic_attribute_prefixes=set(),
)


def html_sanitize(html: str) -> str:
    """``html`` reduced to the allow-list (module docstring). Safe to call on already clean HTML."""
    if not html:
        return ""
    cleaned = _cleaner.clean(str(html))
    return _EMPTY_LINK.sub(r"\1", cleaned)
