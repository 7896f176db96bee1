"""Editors' synonym groups as a lookup table, rebuilt in-process whenever editors change them."""

import threading

from django.db.models import Count, Max

from .analysis import text_normalise
from .models import SynonymGroup

_lock = threading.Lock()
_cache: dict = {"version": None, "table": {}}


def synonym_table() -> dict[str, list[str]]:
    """normalised term → the other normalised terms of its (enabled) groups.

    One cheap aggregate query per call tells whether anything changed, so an edit in the
    admin takes effect on the next search in every worker, without a code change or reindex.
    """
    enabled = SynonymGroup.objects.filter(enabled=True)
    version = tuple(enabled.aggregate(n=Count("pk"), changed=Max("updated_at"), top=Max("pk")).values())
    if version == _cache["version"]:
        return _cache["table"]
    table: dict[str, set] = {}
    for group in enabled:
        terms = list(dict.fromkeys(text_normalise(t) for t in group.term_list()))
        for term in terms:
            table.setdefault(term, set()).update(t for t in terms if t != term)
    with _lock:
        _cache["version"] = version
        _cache["table"] = {term: sorted(others) for term, others in table.items()}
    return _cache["table"]
