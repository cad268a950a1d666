#!/usr/bin/env python3
"""Per-test durations of the last CTest run, from its JUnit record (ctest --output-junit).

Prints the suite's wall time, the sum of test times and the slowest tests, and writes the whole
record, slowest first, next to the XML as test-times.txt: how long `make test` takes on a machine
is measured, not assumed.

usage: scripts/test_times.py BUILD_DIR/ctest-results.xml [--top N]
"""
import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("junit", type=Path)
    ap.add_argument("--top", type=int, default=10)
    args = ap.parse_args()
    try:
        root = ET.parse(args.junit).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"test_times: cannot read {args.junit}: {e}", file=sys.stderr)
        return 1
    cases = []
    for case in root.iter("testcase"):
        cases.append((float(case.get("time", "0")), case.get("name", "?"),
                      case.get("status", "?")))
    if not cases:
        print(f"test_times: {args.junit} records no tests", file=sys.stderr)
        return 1
    cases.sort(reverse=True)
    total = sum(t for t, _, _ in cases)
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    wall = float(suite.get("time", "0")) if suite is not None else 0.0
    out = args.junit.with_name("test-times.txt")
    with open(out, "w") as f:
        f.write(f"{len(cases)} tests, {total:.1f} s of test time, {wall:.1f} s wall\n")
        for t, name, status in cases:
            f.write(f"{t:9.2f} s  {status:8} {name}\n")
    print(f"test_times: {len(cases)} tests, {total:.1f} s of test time, {wall:.1f} s wall; "
          f"the {min(args.top, len(cases))} slowest (all in {out}):")
    for t, name, _ in cases[:args.top]:
        print(f"  {t:8.2f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
