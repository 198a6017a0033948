#!/usr/bin/env python3
"""Join rustprocfile-insncount's window list with insn-window's counts.

Usage: insn-report.py CONSOLE_LOG PLUGIN_LOG CSV_OUT

Writes one CSV row per window (file, test, request size, operations,
repetition, instructions in all, in user space, in the kernel image and in
modules, translation blocks, returns, memory accesses, cross-page
transfers and jump-cache misses, all instructions per operation, the
file size, and the misses of the plugin's TLB model at its four sizes,
when the plugin ran it) and prints a
Markdown table on stdout: per test and request size, the smallest count
per operation over the repetitions for each file (interrupts and faults
only ever add instructions), the largest one for the first file, how the
smallest ones of the first two files split into kernel image and module
code, their translation blocks, returns, memory accesses and cross-page
transfers per operation, and the ratios of the first file to the others.
Then, for the file-size sweep (windows with fsize=), a second table: per
test and file size, the smallest count per operation of each file and its
memory accesses, and per file the largest count over the smallest across
the file sizes (the target of issue 6 is 1.10 in time); and, with the
TLB model, a third: its misses per operation in those windows.
"""
import csv
import re
import sys

WINDOW_RE = re.compile(
    r"insncount: id=(\d+) file=(\S+) test=(\S+) bs=(\d+) ops=(\d+) rep=(\d+)"
    r"(?: fsize=(\d+))?")
COUNT_RE = re.compile(
    r"insn-window: id=(\d+) insns=(\d+) user=(\d+) kernel=(\d+) module=(\d+)"
    r" blocks=(\d+) rets=(\d+) mem=(\d+) xpage=(\d+) jcmiss=(\d+)"
    r"(?: tlbmiss=(\d+)/(\d+)/(\d+)/(\d+))?")
# Entries of the four sizes of the plugin's model of QEMU's software TLB.
TLB_SIZES = (64, 256, 1024, 4096)


def main(console, plugin, out):
    windows = {}
    with open(console, errors="replace") as f:
        for line in f:
            m = WINDOW_RE.search(line)
            if m:
                windows[int(m.group(1))] = (
                    m.group(2), m.group(3), int(m.group(4)),
                    int(m.group(5)), int(m.group(6)), int(m.group(7) or 0))
    counts = {}
    with open(plugin, errors="replace") as f:
        for line in f:
            m = COUNT_RE.search(line)
            if m and int(m.group(1)):
                counts[int(m.group(1))] = tuple(
                    None if g is None else int(g) for g in m.groups()[1:])
    missing = sorted(set(windows) - set(counts))
    if not windows or missing:
        sys.exit(f"insn-report.py: {len(windows)} windows, "
                 f"{len(missing)} without a count (first: {missing[:1]})")

    rows = []
    sweep = []
    for wid in sorted(windows):
        label, test, bs, ops, rep, fsize = windows[wid]
        (total, user, kernel, module, blocks, rets, mem, xpage,
         jcmiss) = counts[wid][:9]
        tlb = counts[wid][9:] if counts[wid][9] is not None else ()
        row = (label, test, bs, ops, rep, total, user, kernel, module,
               blocks, rets, mem, xpage, jcmiss, total / ops, tlb)
        (sweep if fsize else rows).append((row, fsize))
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "test", "req_bytes", "ops", "rep", "insns",
                    "user", "kernel", "module", "blocks", "rets", "mem",
                    "xpage", "jcmiss", "insns_per_op", "file_bytes"]
                   + [f"tlbmiss{n}" for n in TLB_SIZES])
        for r, fsize in rows + sweep:
            w.writerow(r[:14] + (f"{r[14]:.1f}", fsize or 1 << 20)
                       + (r[15] or ("",) * len(TLB_SIZES)))
    rows = [r for r, _ in rows]

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
    if sweep:
        print_sweep(sweep, files)
    return 0


def print_sweep(sweep, files):
    """Per test and file size, the smallest count per operation of each
    file with its memory accesses; per test and file, max/min over the
    sizes."""
    tests = list(dict.fromkeys((r[1], r[2]) for r, _ in sweep))
    fsizes = sorted({fsize for _, fsize in sweep})
    print()
    print("File-size sweep: random requests at every file size; smallest"
          " instructions per operation (memory accesses in parentheses).")
    print()
    head = ["test", "request", "file size"] + files
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    spread = {}
    tlb = []
    for test, bs in tests:
        for fsize in fsizes:
            cells = [test, f"{bs} B", f"{fsize // 1024} KiB"]
            tlb_cells = list(cells)
            for f in files:
                v = [r for r, fs in sweep
                     if r[:3] == (f, test, bs) and fs == fsize]
                low = min(v, key=lambda r: r[14])
                spread.setdefault((test, bs, f), []).append(low[14])
                cells.append(f"{low[14]:.0f} ({low[11] / low[3]:.0f})")
                if low[15]:
                    tlb_cells.append(" / ".join(f"{m / low[3]:.2f}"
                                                for m in low[15]))
            print("| " + " | ".join(cells) + " |")
            tlb.append(tlb_cells)
    print()
    for (test, bs, f), v in spread.items():
        print(f"- {test} {bs} B, {f}: max/min over file sizes "
              f"{max(v) / min(v):.3f}")
    if not any(cells[3:] for cells in tlb):
        return
    print()
    print("Misses per operation of the plugin's model of QEMU's software"
          " TLB with " + ", ".join(str(n) for n in TLB_SIZES) +
          " entries, in the windows above.")
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    for cells in tlb:
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
