import os

from django.core.wsgi import get_wsgi_application

# A server started without DJANGO_SETTINGS_MODULE gets production settings, which refuse to start
# without SECRET_KEY, ALLOWED_HOSTS, REDIS_URL and a task queue: never DEBUG or a fixed key by accident.
# (manage.py keeps the dev settings as its default for local work.)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
application = get_wsgi_application()
