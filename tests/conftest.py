import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked ``slow`` run first. Under ``pytest -n`` (``--no-loadscope-reorder``) the workers
    take tests in this order, so the long cross-process tests start at once and the short ones fill
    the other worker, instead of one slow test running alone at the end. The same stable order on
    every worker, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if config.getoption("dist", default="no") == "loadgroup" or getattr(config.option, "loadgroup", False):
        _xdist_groups_apply(items)


def _xdist_groups_apply(items):
    """``--dist loadgroup`` keeps the tests of one ``xdist_group`` in one worker by reading the group
    from a ``@name`` suffix of each nodeid. pytest-xdist 3.8 writes it to ``item._nodeid``, which
    pytest 9.2 no longer reads (the nodeid comes from ``item._id``), so the groups were silently
    spread over the workers: the suffix is written where pytest reads it (once)."""
    for item in items:
        names = sorted({str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                        for mark in item.iter_markers("xdist_group")})  # fmt: skip
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_keepdb):
    """A database server (PostgreSQL) may serve two runs at once (two checkouts, CI and a developer):
    each run's test databases carry its token after pytest-django's worker suffix
    (``test_kepu_gw0_<run>``), so one run never drops another's. SQLite's are in memory, private to
    the process; with ``--reuse-db`` the name must stay the same from run to run."""
    if django_db_keepdb:
        return
    for db_settings in django_settings.DATABASES.values():
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            continue
        test_name = db_settings.get("TEST", {}).get("NAME") or f"test_{db_settings['NAME']}"
        db_settings.setdefault("TEST", {})["NAME"] = f"{test_name}_{os.environ[RUN_ENV]}"


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

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    yield
    cache.clear()
