"""Compile the project's gettext catalogues (locale/**/*.po → .mo) with polib.

Run by the Makefile (``make translations``, and before install, test and run) so a fresh clone needs
neither GNU gettext nor the network. Plain Python, no Django: it runs before the project is set up.

    python admin_site/locale_compile.py [LOCALE_DIR]          # every stale catalogue under LOCALE_DIR
    python admin_site/locale_compile.py SOURCE.po TARGET.mo   # one catalogue
"""

import os
import re
import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogue_compile(po_path: Path, mo_path: Path) -> int:
    """Write ``mo_path`` from ``po_path``; fuzzy and untranslated entries are left out (as msgfmt
    does), so they fall back to Wagtail's own catalogue. Returns the number of messages written."""
    po = polib.pofile(str(po_path))
    bad = [entry.msgid for entry in po if entry.translated() and not entry.obsolete and _broken(entry)]
    if bad:
        raise SystemExit(f"{po_path}: placeholders differ from the msgid in: {bad}")
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: a process reading the catalogue meanwhile (a parallel test worker,
    # a running server) sees the old file or the new one, never half of one.
    partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}.tmp")
    po.save_as_mofile(str(partial))
    os.replace(partial, mo_path)
    return len(po.translated_entries())


def _broken(entry: polib.POEntry) -> bool:
    """A translation naming a ``%(name)s`` placeholder its msgid lacks would raise at render time."""
    names = re.compile(r"%\((\w+)\)")
    wanted = set(names.findall(entry.msgid)) | set(names.findall(entry.msgid_plural or ""))
    texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    return any(not set(names.findall(text)) <= wanted for text in texts)


def stale_catalogues(root: Path) -> list[tuple[Path, Path]]:
    """(po, mo) pairs under ``root`` whose .mo is missing or older than its .po."""
    pairs = [(po, po.with_suffix(".mo")) for po in sorted(root.glob("*/LC_MESSAGES/*.po"))]
    return [(po, mo) for po, mo in pairs if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime]


def main(argv: list[str]) -> None:
    if len(argv) == 2:
        pairs = [(Path(argv[0]), Path(argv[1]))]
    else:
        pairs = stale_catalogues(Path(argv[0]) if argv else LOCALE_DIR)
    for po, mo in pairs:
        print(f"{po} → {mo} ({catalogue_compile(po, mo)} messages)")


if __name__ == "__main__":
    main(sys.argv[1:])
