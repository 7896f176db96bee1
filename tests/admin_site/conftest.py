import pytest
from django.utils.translation import trans_real

from admin_site.locale_compile import LOCALE_DIR, main, stale_catalogues


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """`make test` compiles locale/ before the suite; a bare `pytest tests/admin_site` on a fresh clone
    compiles here, then drops the catalogues Django may already have loaded without it."""

    if stale_catalogues(LOCALE_DIR):
        main([])
        trans_real._translations = {}
        trans_real._default = None
    yield
