"""CAP helpers: the official schema, publishing through Wagtail with on-commit work run, parsing."""

from pathlib import Path

import pytest
from lxml import etree

FIXTURES = Path(__file__).parent / "fixtures"
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


@pytest.fixture(scope="session")
def cap_schema():
    return etree.XMLSchema(etree.parse(str(FIXTURES / "CAP-v1.2-schema.xsd")))


def cap_parse(body: bytes, schema):
    """The document as an lxml tree, after asserting it is valid CAP 1.2."""
    document = etree.fromstring(body)
    assert schema.validate(document), schema.error_log
    return document


def cap_text(document, path: str) -> str:
    return document.findtext(path, namespaces=NS)


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """``publish(page, **changes)``: save a revision with the changes and publish it, as the admin does."""

    def run(page, **changes):
        for name, value in changes.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return run


@pytest.fixture
def unpublish(django_capture_on_commit_callbacks):
    def run(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.unpublish()

    return run
