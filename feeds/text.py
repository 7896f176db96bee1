"""Text helpers shared by the XML channels (syndication, CAP)."""

import re

# Characters XML 1.0 cannot carry at all (C0 controls except tab, newline, carriage return;
# surrogates; U+FFFE/U+FFFF). Editors paste them from Word and PDFs; a feed must not break on them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text_clean(text) -> str:
    """``text`` as a string that any XML 1.0 document can carry (invalid characters dropped)."""
    if text is None:
        return ""
    return _XML_INVALID.sub("", str(text))
