#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Put the function definitions of an LLVM IR file back in rustc's order.

Usage: keep-function-order.py REFERENCE.ll LINKED.ll > OUT.ll

llvm-link emits functions in the order it first meets references to them,
not in the order of its input; llc then lays the object out in that new
order. The helpers' inlining should change nothing but the helper calls,
and where a function lands inside a page is part of its cost under QEMU's
TCG (a block in another page is reached through a lookup, not a direct
jump), so this restores the order of REFERENCE.ll (rustc's own module):
functions found there first, in its order, then the others as they were.
What precedes the first definition stays in place; declarations and
other lines found between definitions follow the last one (their order
does not matter to the IR).
"""

import re
import sys

NAME_RE = re.compile(r'@("(?:[^"\\]|\\.)*"|[-\w$.]+)\(')


def split(lines):
    """Returns (head, definitions, tail): definitions as (name, lines)."""
    head, defs, tail = [], [], []
    i = 0
    while i < len(lines):
        line = lines[i]
        attrs = line.startswith("; Function Attrs:") and i + 1 < len(lines) \
            and lines[i + 1].startswith("define ")
        if not (line.startswith("define ") or attrs):
            (tail if defs else head).append(line)
            i += 1
            continue
        start = i
        if attrs:
            i += 1
        match = NAME_RE.search(lines[i])
        if not match:
            sys.exit(f"keep-function-order: no name in: {lines[i].strip()}")
        while lines[i].rstrip("\n") != "}":
            i += 1
        defs.append((match.group(1), lines[start:i + 1]))
        i += 1
        # What lies between two definitions (blank lines) goes with the
        # first of them.
        while i < len(lines) and lines[i].strip() == "":
            defs[-1][1].append(lines[i])
            i += 1
    return head, defs, tail


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        _, ref, _ = split(f.readlines())
    with open(sys.argv[2]) as f:
        head, defs, tail = split(f.readlines())
    rank = {name: n for n, (name, _) in enumerate(ref)}
    order = sorted(range(len(defs)),
                   key=lambda k: (rank.get(defs[k][0], len(rank)), k))
    out = sys.stdout
    out.writelines(head)
    for k in order:
        out.writelines(defs[k][1])
    out.writelines(tail)


if __name__ == "__main__":
    main()
