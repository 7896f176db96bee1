import os

from django.core.wsgi import get_wsgi_application

# A server started without DJANGO_SETTINGS_MODULE gets production settings, which refuse to start
# without SECRET_KEY, ALLOWED_HOSTS, REDIS_URL and a task queue: never DEBUG or a fixed key by accident.
# (manage.py keeps the dev settings as its default for local work.)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_wsgi_application()

# Each web worker loads the search dictionaries (about 2 s) before it takes requests, not during
# its first search.
if os.environ.get("SEARCH_WARM_ON_START", "true").lower() not in {"0", "false", "no"}:
    from search.analysis import analysis_warm

    analysis_warm()
