"""WeChat callback XML: parsing incoming messages and building passive replies (pure functions).

Passive replies must arrive within 5 seconds; a news reply carries one article (WeChat's limit
since 2018). Parsing goes through defusedxml, so entity expansion and external entities are refused.
"""

import time
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException


class MessageError(ValueError):
    """XML that is not a WeChat message."""


def message_parse(body: bytes) -> dict:
    """``<xml><ToUserName>…</ToUserName>…</xml>`` → {tag: text}; nested tags (events) flattened by name."""
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except LookupError as exc:  # an encoding declaration Python does not know: expat raises LookupError
        raise MessageError("XML 声明了未知的字符编码") from exc
    except (SafeET.ParseError, DefusedXmlException, ValueError, RecursionError) as exc:
        raise MessageError(f"XML 无效：{type(exc).__name__}") from exc
    if root.tag != "xml":
        raise MessageError("根元素必须是 <xml>")
    message = {}
    for element in root.iter():
        if element is not root and len(element) == 0:
            message.setdefault(element.tag, (element.text or "").strip())
    return message


def _xml(fields: dict) -> str:
    root = Element("xml")
    for name, value in fields.items():
        child = SubElement(root, name)
        if isinstance(value, list):
            for item in value:
                entry = SubElement(child, "item")
                for key, text in item.items():
                    SubElement(entry, key).text = str(text)
        else:
            child.text = str(value)
    return tostring(root, encoding="unicode")


def _envelope(message: dict, kind: str) -> dict:
    return {
        "ToUserName": message.get("FromUserName", ""),
        "FromUserName": message.get("ToUserName", ""),
        "CreateTime": int(time.time()),
        "MsgType": kind,
    }


def text_reply(message: dict, text: str) -> str:
    return _xml({**_envelope(message, "text"), "Content": text})


def news_reply(message: dict, *, title: str, description: str, picture_url: str, url: str) -> str:
    article = {"Title": title, "Description": description, "PicUrl": picture_url, "Url": url}
    return _xml({**_envelope(message, "news"), "ArticleCount": 1, "Articles": [article]})


def encrypted_envelope(encrypted: str, *, signature: str, timestamp: str, nonce: str) -> str:
    return _xml({"Encrypt": encrypted, "MsgSignature": signature, "TimeStamp": timestamp, "Nonce": nonce})
