"""The Elasticsearch backend entry for WAGTAILSEARCH_BACKENDS (shared by settings and tests)."""


def elasticsearch_backend(url: str, *, index_prefix: str = "kepu_", timeout: int = 5) -> dict:
    return {
        "BACKEND": "wagtail.search.backends.elasticsearch8",
        "URLS": [url],
        "INDEX_PREFIX": index_prefix,
        "TIMEOUT": timeout,
        "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
        # Only search.documents writes to Elasticsearch, so failures are queued, not lost.
        "AUTO_UPDATE": False,
        "ATOMIC_REBUILD": True,
        "INDEX_SETTINGS": {
            "settings": {
                "index": {"number_of_shards": 1, "number_of_replicas": 0},
                "analysis": {
                    # Text arrives analysed by search.analysis; split on whitespace only.
                    "analyzer": {
                        "kepu_terms": {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}
                    }
                },
            }
        },
    }
