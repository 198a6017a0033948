#!/usr/bin/env python3
"""Judge a guest's console log: its KTAP report(s) and kernel health.

Usage: check-console.py [--require PREFIX]... CONSOLE_LOG

Every KTAP document in the log ("KTAP version 1" followed by a "1..N" plan
and result lines) must have its whole plan run with no "not ok"; at least
one document must be present; and the kernel must not have logged an Oops,
BUG, WARNING, panic or sanitizer report. With --require, at least one
result whose name starts with PREFIX must be there (and, like every
result, ok): tests that must have run, such as KUnit doctests of a file.
Prints one line per finding and exits 1 if anything failed.
"""
import argparse
import re
import sys

# Kernel messages that mean the run is not healthy, whatever the tests said.
SPLATS = [
    r"\bOops\b",
    r"\bBUG[: ]",
    r"\bWARNING:",
    r"Kernel panic",
    r"\bKASAN\b",
    r"\bUBSAN\b",
    r"possible recursive locking",
    r"INFO: task .* blocked",
    r"Call Trace:",
    r"general protection fault",
    r"Unable to handle kernel",
    r"rust_panic|panicked at",
    r"suspected memory leak",
]
SPLAT_RE = re.compile("|".join(SPLATS))
# printk's timestamp, when the line comes from the kernel (KUnit).
TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ")
RESULT_RE = re.compile(r"^(not ok|ok) (\d+)\b(.*)$")
PLAN_RE = re.compile(r"^1\.\.(\d+)\s*$")
HEADER_RE = re.compile(r"^KTAP version 1\s*$")


def main(path, required):
    with open(path, errors="replace") as f:
        lines = [line.rstrip("\r\n") for line in f]

    problems = []
    documents = []
    # KTAP nests subtests by indentation (KUnit suites inside the top
    # level): the open document at each indentation.
    open_docs = {}
    names = []
    for lineno, line in enumerate(lines, 1):
        if SPLAT_RE.search(line):
            problems.append(f"line {lineno}: kernel splat: {line.strip()}")
        text = TIMESTAMP_RE.sub("", line)
        indent = len(text) - len(text.lstrip(" "))
        text = text.strip()
        if HEADER_RE.match(text):
            doc = {"plan": None, "results": {}, "line": lineno}
            documents.append(doc)
            open_docs = {i: d for i, d in open_docs.items() if i < indent}
            open_docs[indent] = doc
            continue
        current = open_docs.get(indent)
        if current is None:
            continue
        m = PLAN_RE.match(text)
        if m and current["plan"] is None:
            current["plan"] = int(m.group(1))
            continue
        m = RESULT_RE.match(text)
        if m:
            ok = m.group(1) == "ok"
            number = int(m.group(2))
            if "# SKIP" in m.group(3):
                print(f"skip: {text}")
            current["results"][number] = ok
            names.append(m.group(3).split("#")[0].strip())
            if not ok:
                problems.append(f"line {lineno}: {text}")

    if not documents:
        problems.append("no KTAP report in the console log")
    passed = failed = 0
    for doc in documents:
        plan, results = doc["plan"], doc["results"]
        passed += sum(1 for ok in results.values() if ok)
        failed += sum(1 for ok in results.values() if not ok)
        if plan is None:
            problems.append(f"line {doc['line']}: KTAP report without a plan")
            continue
        missing = [n for n in range(1, plan + 1) if n not in results]
        if missing:
            problems.append(
                f"line {doc['line']}: plan 1..{plan} but {len(missing)} "
                f"result(s) missing (first: {missing[0]})")
        if plan == 0:
            problems.append(f"line {doc['line']}: empty plan 1..0")

    for prefix in required:
        count = sum(1 for name in names if name.startswith(prefix))
        if count:
            print(f"required: {count} result(s) named {prefix}*")
        else:
            problems.append(f"no result named {prefix}* (required)")

    for p in problems:
        print(p)
    print(f"ktap: {len(documents)} report(s), {passed} ok, {failed} not ok")
    return 1 if problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], usage=__doc__.splitlines()[2][7:])
    parser.add_argument("--require", action="append", default=[],
                        metavar="PREFIX")
    parser.add_argument("console_log")
    args = parser.parse_args()
    sys.exit(main(args.console_log, args.require))
