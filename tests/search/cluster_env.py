"""Reading `.var/es-cluster.env`, the `export NAME=value` lines `tools/elasticsearch/cluster.sh`
writes for the site (shared by tests/search/test_cluster.py and bench/search/cluster_node_loss.py)."""

import shlex
from pathlib import Path


def env_file_read(path: Path) -> dict:
    """The file's exported variables, as a dict."""
    variables = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = shlex.split(line, comments=True)
        if len(words) == 2 and words[0] == "export" and "=" in words[1]:
            name, value = words[1].split("=", 1)
            variables[name] = value
    return variables
