"""The embedded default cache: Django's file cache, checking its size every ``CULL_EVERY`` writes.

Django's ``FileBasedCache`` lists its whole folder before every write to see whether it is full
(≈1 ms at 3,000 entries, more as it grows); a cold render of a listing writes a dozen cards, so
that check was most of the cost. Checked every 64 writes instead, the folder can exceed
``MAX_ENTRIES`` by at most 64 entries per process before the next cull.
"""

import itertools

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    CULL_EVERY = 64

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = itertools.count(1)

    def _cull(self):
        if next(self._writes) % self.CULL_EVERY == 0:
            super()._cull()
