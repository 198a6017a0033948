#!/usr/bin/env python3
"""Join rustprocfile-insncount's window list with insn-window's counts.

Usage: insn-report.py CONSOLE_LOG PLUGIN_LOG CSV_OUT

Writes one CSV row per window (file, test, request size, operations,
repetition, instructions in all, in user space, in the kernel image and in
modules, translation blocks, returns, memory accesses and cross-page
transfers executed, and all instructions per operation) and prints a
Markdown table on stdout: per test and request size, the smallest count
per operation over the repetitions for each file (interrupts and faults
only ever add instructions), the largest one for the first file, how the
smallest ones of the first two files split into kernel image and module
code, their translation blocks, returns, memory accesses and cross-page
transfers per operation, and the ratios of the first file to the others.
"""
import csv
import re
import sys

WINDOW_RE = re.compile(
    r"insncount: id=(\d+) file=(\S+) test=(\S+) bs=(\d+) ops=(\d+) rep=(\d+)")
COUNT_RE = re.compile(
    r"insn-window: id=(\d+) insns=(\d+) user=(\d+) kernel=(\d+) module=(\d+)"
    r" blocks=(\d+) rets=(\d+) mem=(\d+) xpage=(\d+) jcmiss=(\d+)")


def main(console, plugin, out):
    windows = {}
    with open(console, errors="replace") as f:
        for line in f:
            m = WINDOW_RE.search(line)
            if m:
                windows[int(m.group(1))] = (
                    m.group(2), m.group(3), int(m.group(4)),
                    int(m.group(5)), int(m.group(6)))
    counts = {}
    with open(plugin, errors="replace") as f:
        for line in f:
            m = COUNT_RE.search(line)
            if m and int(m.group(1)):
                counts[int(m.group(1))] = tuple(int(g) for g in m.groups()[1:])
    missing = sorted(set(windows) - set(counts))
    if not windows or missing:
        sys.exit(f"insn-report.py: {len(windows)} windows, "
                 f"{len(missing)} without a count (first: {missing[:1]})")

    rows = []
    for wid in sorted(windows):
        label, test, bs, ops, rep = windows[wid]
        (total, user, kernel, module, blocks, rets, mem, xpage,
         jcmiss) = counts[wid]
        rows.append((label, test, bs, ops, rep, total, user, kernel, module,
                     blocks, rets, mem, xpage, jcmiss, total / ops))
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "test", "req_bytes", "ops", "rep", "insns",
                    "user", "kernel", "module", "blocks", "rets", "mem",
                    "xpage", "jcmiss", "insns_per_op"])
        for r in rows:
            w.writerow(r[:14] + (f"{r[14]:.1f}",))

    files = list(dict.fromkeys(r[0] for r in rows))
    configs = list(dict.fromkeys((r[1], r[2]) for r in rows))
    first = files[0]
    split = files[:2]
    head = ["test", "request"] + [f"{f} min" for f in files]
    head += [f"{first} max"]
    head += [f"{f} kernel + module" for f in split]
    head += [f"{f} blocks, rets, mem, xpage, jcmiss" for f in split]
    head += [f"{first}/{f}" for f in files[1:]]
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for test, bs in configs:
        per = {f: [r for r in rows if r[:3] == (f, test, bs)] for f in files}
        low = {f: min(v, key=lambda r: r[14]) for f, v in per.items()}
        cells = [test, f"{bs} B"] + [f"{low[f][14]:.0f}" for f in files]
        cells += [f"{max(r[14] for r in per[first]):.0f}"]
        cells += [f"{low[f][7] / low[f][3]:.0f} + {low[f][8] / low[f][3]:.0f}"
                  for f in split]
        # blocks, rets, mem, xpage: columns 9 to 12; jcmiss, 13, is
        # often below 1 per operation.
        cells += [", ".join([f"{low[f][i] / low[f][3]:.0f}"
                             for i in range(9, 13)]
                            + [f"{low[f][13] / low[f][3]:.1f}"])
                  for f in split]
        cells += [f"{low[first][14] / low[f][14]:.3f}" for f in files[1:]]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
