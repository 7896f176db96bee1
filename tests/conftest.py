import os
import uuid

import pytest
from wagtail.models import Page

from content.models import ArticleIndexPage, Audience, EmergencyIndexPage, HomePage, Region, VideoIndexPage

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
RUN_ENV = "KEPU_TEST_RUN"


def pytest_configure(config):
    """One token per test run in ``KEPU_TEST_RUN`` (names what the run creates outside its own
    process, e.g. Elasticsearch test indexes), so two runs on one machine never share a name.
    xdist workers take their controller's run id; a run without xdist makes its own."""
    workerinput = getattr(config, "workerinput", None)
    token = workerinput["testrunuid"] if workerinput is not None else uuid.uuid4().hex
    os.environ[RUN_ENV] = token[:8]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded and imported images go to a throwaway folder, never the repo's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def home(db) -> HomePage:
    """The site tree (首页 + 3 sections) is created by content's data migration."""
    return HomePage.objects.get()


@pytest.fixture
def article_index(db) -> ArticleIndexPage:
    return ArticleIndexPage.objects.get()


@pytest.fixture
def video_index(db) -> VideoIndexPage:
    return VideoIndexPage.objects.get()


@pytest.fixture
def emergency_index(db) -> EmergencyIndexPage:
    return EmergencyIndexPage.objects.get()


@pytest.fixture
def audiences(db) -> dict[str, Audience]:
    return {a.slug: a for a in Audience.objects.all()}


@pytest.fixture
def regions(db) -> dict[str, Region]:
    return {r.name: r for r in Region.objects.all()}


@pytest.fixture
def root_page(db) -> Page:
    return Page.objects.get(depth=1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the block's commit callbacks (cache invalidations, index sync
    tasks) as a real commit would; the test suite's transactions never commit."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def page_cache_on(settings):
    """The shared page cache (and what lives under its epoch: aggregates, cards) turned on, in an
    empty cache; the test settings keep it off."""
    from django.core.cache import cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()
