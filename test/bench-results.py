#!/usr/bin/env python3
"""Publish a `make bench` run: its summary, reports and plot into
docs/bench/, and the results table of docs/PERFORMANCE.md.

Usage: bench-results.py BENCH_DIR DOCS_DIR

BENCH_DIR is what test/bench.sh, test/bench-report.py and
test/insn-count/insn-count.sh wrote for one architecture (report.json,
report.md, report.png, insns-ARCH*.csv and .md, the consoles), and
test/bench-parallel.sh with test/bench-parallel-report.py where they
ran (parallel.json, parallel.md). The
script stores results-ARCH.json (the figures the table shows, with the
date, host, commit and kernel they come from) and the reports under
DOCS_DIR/bench/, then rebuilds the table between the markers in
DOCS_DIR/PERFORMANCE.md from every results-*.json there: each
architecture keeps the figures of its own latest run.
"""

import csv
import glob
import json
import os
import re
import shutil
import sys

from bench_units import human

BEGIN = "<!-- bench-results: begin (test/bench-results.py) -->"
END = "<!-- bench-results: end -->"
TESTS = ("seqread", "seqwrite", "randread", "randwrite", "mmapread",
         "mmapwrite")
# Instruction counts are taken with pread/pwrite at random offsets: they
# go in the rows of the random tests.
INSN_TEST = {"randread": "pread", "randwrite": "pwrite"}
MIB = 1 << 20


def kernel_version(bench_dir):
    """The release the benchmark booted, from the first console log."""
    for path in sorted(glob.glob(os.path.join(bench_dir, "*console.log"))):
        with open(path, errors="replace") as f:
            for line in f:
                m = re.search(r"Linux version (\S+)", line)
                if m:
                    return m.group(1)
    sys.exit(f"bench-results: no 'Linux version' in {bench_dir}/*console.log")


def instructions(path):
    """Smallest instructions per operation on the 1 MiB file, per
    (file, test, request), and the largest over the smallest per file
    across the file-size sweep."""
    low = {}
    sweep = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            # From the counts, not the rounded per-operation column.
            per_op = int(r["insns"]) / int(r["ops"])
            req = int(r["req_bytes"])
            if r["test"].startswith("rand"):
                key = (r["file"], r["test"], req)
                by_size = sweep.setdefault(key, {})
                size = int(r["file_bytes"])
                by_size[size] = min(by_size.get(size, per_op), per_op)
                continue
            key = (r["file"], r["test"], req)
            low[key] = min(low.get(key, per_op), per_op)
    flat = {}
    for (file, _, _), by_size in sweep.items():
        spread = max(by_size.values()) / min(by_size.values())
        flat[file] = max(flat.get(file, 0), spread)
    return ({"|".join(map(str, k)): v for k, v in low.items()}, flat)


def store(bench_dir, docs):
    with open(os.path.join(bench_dir, "report.json")) as f:
        report = json.load(f)
    if len(report["archs"]) != 1:
        sys.exit("bench-results: expected the report of one architecture")
    (arch, figures), = report["archs"].items()
    insns_csv = os.path.join(bench_dir, f"insns-{arch}.csv")
    if not os.path.exists(insns_csv):
        sys.exit(f"bench-results: {insns_csv} is missing (make insn-count)")
    insns, flat = instructions(insns_csv)
    figures.update(source=report["source"], kernel=kernel_version(bench_dir),
                   insns=insns, insns_flat=flat)
    # Parallel readers: only where the run measured them, so that a run
    # without them leaves none of an earlier run's in the table.
    parallel = os.path.join(bench_dir, "parallel.json")
    if os.path.exists(parallel):
        with open(parallel) as f:
            boots = json.load(f)["archs"].get(arch)
        if boots:
            figures["parallel"] = boots
    out = os.path.join(docs, "bench")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, f"results-{arch}.json"), "w") as f:
        json.dump(figures, f, indent=1, sort_keys=True)
        f.write("\n")
    for name in ("report.md", "report.png"):
        src = os.path.join(bench_dir, name)
        if os.path.exists(src):
            base, ext = os.path.splitext(name)
            shutil.copyfile(src, os.path.join(out, f"{base}-{arch}{ext}"))
    for src in glob.glob(os.path.join(bench_dir, f"insns-{arch}*.md")):
        shutil.copyfile(src, os.path.join(out, os.path.basename(src)))
    src = os.path.join(bench_dir, "parallel.md")
    if "parallel" in figures and os.path.exists(src):
        shutil.copyfile(src, os.path.join(out, f"parallel-{arch}.md"))


def fmt(r):
    if not r:
        return ""
    return f"{r[0]:.3f} ({r[1]:.2f}-{r[2]:.2f})"


def table(docs):
    results = {}
    for path in sorted(glob.glob(os.path.join(docs, "bench",
                                              "results-*.json"))):
        with open(path) as f:
            arch = os.path.basename(path)[len("results-"):-len(".json")]
            results[arch] = json.load(f)
    if not results:
        sys.exit("bench-results: no results-*.json to build the table from")
    lines = []
    for arch, r in results.items():
        missed = "; missed: " + "; ".join(r["missed"]) if r["missed"] else ""
        flat = ", ".join(f"{f} {v:.3f}"
                         for f, v in sorted(r["insns_flat"].items()))
        lines.append(
            f"- **{arch}**: Linux {r['kernel']}, {r['accel'].upper()}, "
            f"{r['boots']} boots, {r['repetitions']} repetitions; "
            f"targets: {r['met']} of {r['targets']} met{missed}. "
            f"Instructions per 64 B random request, max/min over file "
            f"sizes: {flat}. {r['source']}")
    lines += ["",
              "| test | request | arch | thr rust/c | p50 rust/c "
              "| thr rust/tmpfs | p50 rust/tmpfs | insns rust | insns c "
              "| insns tmpfs |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- "
              "| --- |"]
    keys = sorted({(row["test"], row["req_bytes"])
                   for r in results.values() for row in r["rows"]},
                  key=lambda k: (TESTS.index(k[0]), k[1]))
    for test, req in keys:
        for arch, r in results.items():
            row = next((x for x in r["rows"]
                        if (x["test"], x["req_bytes"]) == (test, req)), None)
            if row is None:
                continue
            cells = [test, human(req), arch, fmt(row.get("thr_c")),
                     fmt(row.get("p50_c")), fmt(row.get("thr_tmpfs")),
                     fmt(row.get("p50_tmpfs"))]
            for f in ("rust", "c", "tmpfs"):
                v = r["insns"].get(f"{f}|{INSN_TEST.get(test)}|{req}")
                cells.append(f"{v:.0f}" if v is not None else "")
            lines.append("| " + " | ".join(cells) + " |")
    lines += parallel_table(results)
    return "\n".join(lines) + "\n"


def parallel_table(results):
    """The parallel-readers rows of every architecture that has them: per
    boot and file, MiB/s with 1 and N readers, the scaling N/1 and, but
    for the reference, that scaling over the reference's."""
    boots = [b for r in results.values() for b in r.get("parallel", [])]
    if not boots:
        return []
    lines = ["",
             "Parallel readers (`rustprocfile-parallel`): N processes "
             "reading the 1 MiB file at once, 64 KiB `pread`s, against "
             "one; MiB/s: median over repetitions; scaling: N readers' "
             "MiB/s over 1 reader's; vs tmpfs: scaling over tmpfs's, "
             "target at least 0.9. Median of the per-repetition figures "
             "(range).",
             "",
             "| arch | vCPUs | readers | file | MiB/s 1 reader "
             "| MiB/s N readers | scaling | vs tmpfs |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for b in boots:
        for e in b["files"]:
            f, vs = e["file"], ""
            if f != b["ref"]:
                vs = fmt(e["vs_ref"]) + (" ✓" if e["met"] else " ✗")
            lines.append(
                f"| {b['arch']} | {b['vcpus']} | {b['readers']} | {f} "
                f"| {e['one']:.1f} | {e['many']:.1f} "
                f"| {fmt(e['scaling'])} | {vs} |")
    return lines


def rewrite(docs):
    path = os.path.join(docs, "PERFORMANCE.md")
    with open(path) as f:
        text = f.read()
    if BEGIN not in text or END not in text:
        sys.exit(f"bench-results: {path} has no results markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + table(docs) + END + tail)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    store(sys.argv[1], sys.argv[2])
    rewrite(sys.argv[2])


if __name__ == "__main__":
    main()
