"""The embedded default cache (cms.file_cache.FileCache) still keeps to its size, checked in batches."""

from cms.file_cache import FileCache


def test_the_file_cache_stays_near_its_size_and_keeps_what_it_was_given(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 200, "CULL_FREQUENCY": 2}})
    cache.set_many({f"key{i}": f"value{i}" for i in range(600)})
    files = list(tmp_path.glob("*.djcache"))
    assert 0 < len(files) <= 200 + FileCache.CULL_EVERY  # culled, at most one batch late
    cache.set("last", "kept")
    assert cache.get("last") == "kept"
