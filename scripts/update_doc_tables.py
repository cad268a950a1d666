#!/usr/bin/env python3
"""Replaces the generated tables of a Markdown page with the files that make them.

Each table sits between `<!-- BEGIN KEY -->` and `<!-- END KEY -->` (KEY such as bench:main), and
each KEY=FILE argument gives the Markdown that replaces it. A key the page does not mark, or a
file that is missing, is an error: a table must not silently stop following its source. The page
is written atomically. energy/eie_energy.py uses the same two functions for docs/energy.md.

usage: scripts/update_doc_tables.py docs/benchmarks.md bench:main=build/bench/bench.md ...
"""
import os
import sys


def replace_marked(text, key, table):
    """The text with the block between KEY's markers replaced by the table, or None if the text
    does not mark KEY."""
    begin, end = f"<!-- BEGIN {key} -->", f"<!-- END {key} -->"
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        return None
    return text[:i + len(begin)] + "\n" + table.strip() + "\n" + text[j:]


def write_atomic(path, text):
    """Writes a file through a temporary beside it, so that it is never left half-written."""
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv):
    if len(argv) < 3 or any("=" not in a for a in argv[2:]):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    page = argv[1]
    try:
        with open(page) as f:
            text = f.read()
    except OSError as e:
        print(f"update_doc_tables: cannot read {page}: {e}", file=sys.stderr)
        return 1
    for arg in argv[2:]:
        key, path = arg.split("=", 1)
        try:
            with open(path) as f:
                table = f.read()
        except OSError as e:
            print(f"update_doc_tables: cannot read {path}: {e}", file=sys.stderr)
            return 1
        replaced = replace_marked(text, key, table)
        if replaced is None:
            print(f"update_doc_tables: {page} does not mark the table {key}", file=sys.stderr)
            return 1
        text = replaced
    write_atomic(page, text)
    print(f"update_doc_tables: {len(argv) - 2} table(s) of {page} regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
