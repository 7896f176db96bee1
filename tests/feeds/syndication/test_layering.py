"""Channels under feeds/ never import each other: they share through feeds/ itself or content/."""

import ast
from pathlib import Path

import pytest

FEEDS = Path(__file__).resolve().parents[3] / "feeds"
CHANNELS = sorted(p.name for p in FEEDS.iterdir() if (p / "apps.py").exists())


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_channel_imports_no_other_channel(channel):
    others = {f"feeds.{name}" for name in CHANNELS if name != channel}
    offending = [
        f"{path.relative_to(FEEDS.parent)}: {module}"
        for path in sorted((FEEDS / channel).rglob("*.py"))
        for module in _imported_modules(path)
        if any(module == other or module.startswith(other + ".") for other in others)
    ]
    assert not offending, offending
