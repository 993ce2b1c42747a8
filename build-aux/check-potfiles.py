#!/usr/bin/env python3
# Checks po/POTFILES.in against the tree (STYLE rule 15): every file with translatable strings
# must be listed, so that its strings reach the translators, and every entry must exist.
#
# Translatable: a file under src/ or resources/ that marks a string with _(), N_(), C_() or
# NC_(), or a GtkBuilder property with translatable="yes"; plus data/*.in.in and the GSettings
# schemas in data/. Files named in po/POTFILES.skip are exempt.
#
# Usage: check-potfiles.py [SOURCE_ROOT]    (default: the parent of this script's folder)

import pathlib
import re
import sys

SCANNED_DIRS = ("src", "resources")
MARKERS = re.compile(
    r"""(?<![\w])(?:N|C|NC)?_\s*\(\s*"|translatable\s*=\s*["'](?:yes|true|1)["']"""
)


def read_list(path):
    """The entries of a POTFILES-style list: one path a line, # starts a comment."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def is_translatable(path):
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False  # images and other binary files
    return MARKERS.search(text) is not None


def translatable_files(root):
    found = set()
    for folder in SCANNED_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and is_translatable(path):
                found.add(path.relative_to(root).as_posix())
    data = root / "data"
    for pattern in ("*.in.in", "*.gschema.xml"):
        for path in data.glob(pattern):
            found.add(path.relative_to(root).as_posix())
    return found


def main():
    if len(sys.argv) > 2:
        print("usage: check-potfiles.py [SOURCE_ROOT]", file=sys.stderr)
        return 2
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1
                        else pathlib.Path(__file__).resolve().parent.parent)
    listed = read_list(root / "po" / "POTFILES.in")
    skipped = set(read_list(root / "po" / "POTFILES.skip"))

    missing = sorted(translatable_files(root) - set(listed) - skipped)
    absent = [entry for entry in listed if not (root / entry).is_file()]
    duplicated = sorted({entry for entry in listed if listed.count(entry) > 1})
    unsorted = listed != sorted(listed)

    for entry in missing:
        print(f"po/POTFILES.in: missing {entry} (it has translatable strings)")
    for entry in absent:
        print(f"po/POTFILES.in: lists {entry}, which does not exist")
    for entry in duplicated:
        print(f"po/POTFILES.in: lists {entry} more than once")
    if unsorted:
        print("po/POTFILES.in: entries are not sorted (LC_ALL=C sort)")

    if missing or absent or duplicated or unsorted:
        return 1
    print(f"po/POTFILES.in: {len(listed)} files, all present and complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
