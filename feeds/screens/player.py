"""The kiosk player's version: a hash of its files, so screens reload when a deploy changes them."""

import hashlib
from functools import cache

from django.conf import settings

PLAYER_FILES = (
    "static/js/screen-player.js",
    "static/css/screen-player.css",
    "templates/screens/player.html",
)


@cache
def player_version() -> str:
    digest = hashlib.sha256()
    for name in PLAYER_FILES:
        digest.update((settings.BASE_DIR / name).read_bytes())
    return digest.hexdigest()[:12]
