#!/usr/bin/env python3
"""Turn rustprocfile-bench CSV files into a markdown table and a PNG plot.

Usage: bench-report.py [-o PREFIX] [--ref rust] CSV...

Writes PREFIX.md (default bench-report.md), PREFIX.png and PREFIX.json
(the summary test/bench-results.py puts into docs/PERFORMANCE.md) and
prints the markdown. Both start with where they come from: the date
(UTC), the host and the commit of this repository. Each CSV holds the rows of one
boot (test/bench.sh boots each image several times and writes one per
boot). Ratios are computed per repetition, from files measured
interleaved in the same repetition, and the median over the repetitions
of all boots of an architecture is reported with its range; absolute
figures are medians and, under TCG, only useful to compare rows of the
same run.
"""

import argparse
import csv
import json
import os
import statistics
import sys
from collections import defaultdict

from bench_source import provenance
from bench_units import human

# Targets of issue 6.
MIN_THR_VS_C = 0.98
MAX_P50_VS_C = 1.05
MIN_THR_VS_TMPFS = 0.80
TMPFS_FROM_BYTES = 4096
# The mmap tests report throughput against tmpfs with no target: tmpfs maps
# up to 16 pages per fault (fault-around), the module one.
MAX_FLAT_SPREAD = 1.10


def load(paths):
    """rows[(arch, accel)][(test, req, fsize)][file][(boot, rep)]:
    mbps, p50, p99; boot is the position of the CSV among the arguments."""
    rows = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for boot, path in enumerate(paths):
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = (r["test"], int(r["req_bytes"]),
                       int(r["file_bytes"]))
                per_rep = rows[(r["arch"], r["accel"])][key][r["file"]]
                per_rep[(boot, int(r["rep"]))] = (
                    float(r["mb_per_s"]), float(r["p50_ns"]),
                    float(r["p99_ns"]))
    return rows


def placements(paths):
    """Per boot (position among the arguments): its name and where it put
    the modules, from the 'placement:' line of the summary test/bench.sh
    writes next to each CSV (empty when there is none)."""
    out = []
    for path in paths:
        name = os.path.basename(path).rsplit(".", 1)[0]
        where = ""
        summary = path[:-len(".csv")] + "-summary.txt"
        if path.endswith(".csv") and os.path.exists(summary):
            with open(summary) as f:
                for line in f:
                    if line.startswith("placement:"):
                        where = line.split(":", 1)[1].strip()
        out.append((name, where))
    return out


def per_boot_section(configs, places, ref, c_label):
    """The median ratio ref/c_label of throughput per boot, over the
    small-request (up to 64 B) read and write tests and repetitions of
    that boot: how much the layout of one boot moves the comparison where
    the per-call code is what is measured."""
    out = [f"Per boot: median throughput ratio {ref}/{c_label} over the "
           f"read and the write tests of up to 64 B of the boot (every "
           f"file size), and "
           f"where the boot put the modules (module load addresses; the "
           f"benchmark kernel has KASLR):\n"]
    head = ["boot", "placement", f"reads {ref}/{c_label}",
            f"writes {ref}/{c_label}"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))

    def boot_number(item):
        digits = item[1][0].rsplit("boot", 1)[-1]
        return (0, int(digits)) if digits.isdigit() else (1, item[0])

    for boot, (name, where) in sorted(enumerate(places), key=boot_number):
        cells = [name, where.replace(" ", ", ") or "-"]
        for kind in ("read", "write"):
            vals = []
            for (test, req, _), pf in configs.items():
                if not test.endswith(kind) or req > 64:
                    continue
                for rep, v in pf[ref].items():
                    w = pf[c_label].get(rep)
                    if rep[0] == boot and w and w[0] > 0:
                        vals.append(v[0] / w[0])
            cells.append(fmt_ratio((statistics.median(vals), min(vals),
                                    max(vals)), None) if vals else "-")
        if cells[2:] != ["-", "-"]:
            out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out


def ratio(per_file, a, b, idx):
    """Median and range of the per-repetition ratio a/b of field idx."""
    vals = [per_file[a][rep][idx] / per_file[b][rep][idx]
            for rep in per_file[a]
            if rep in per_file[b] and per_file[b][rep][idx] > 0]
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals)


def med(per_file, f, idx):
    return statistics.median(v[idx] for v in per_file[f].values())


def best(per_file, f, idx):
    return min(v[idx] for v in per_file[f].values())


def fmt_ratio(r, ok):
    if r is None:
        return "-"
    m, lo, hi = r
    mark = "" if ok is None else (" ✓" if ok else " ✗")
    return f"{m:.3f} ({lo:.2f}-{hi:.2f}){mark}"


def analyse(rows, ref, places):
    out = []
    verdicts = []
    for (arch, accel), configs in sorted(rows.items()):
        files = sorted({f for c in configs.values() for f in c})
        if ref not in files:
            sys.exit(f"bench-report: no {ref!r} file in {arch}")
        others = [f for f in files if f != ref]
        files = [ref] + others
        c_label = "c" if "c" in others else (others[0] if others else None)
        t_label = "tmpfs" if "tmpfs" in others else None
        runs = {run for c in configs.values() for v in c.values()
                for run in v}
        boots = len({boot for boot, _ in runs})
        out.append(f"### {arch}, {accel.upper()}, {boots} boot(s), "
                   f"{len(runs)} repetitions in all\n")
        head = ["test", "request", "file"]
        head += [f"{f} MB/s" for f in files]
        head += [f"{f} p50 µs" for f in files]
        head += [f"thr {ref}/{o}" for o in others]
        head += [f"p50 {ref}/{o}" for o in others]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        order = {"seqread": 0, "seqwrite": 1, "randread": 2, "randwrite": 3,
                 "mmapread": 4, "mmapwrite": 5}
        for key in sorted(configs, key=lambda k: (k[2] != 1 << 20, k[2],
                                                  order[k[0]], k[1])):
            test, req, fsize = key
            pf = configs[key]
            cells = [test, human(req), human(fsize)]
            cells += [f"{med(pf, f, 0):.2f}" for f in files]
            cells += [f"{med(pf, f, 1) / 1000:.2f}" for f in files]
            for o in others:
                r = ratio(pf, ref, o, 0)
                ok = None
                if o == c_label and r:
                    ok = r[0] >= MIN_THR_VS_C
                    what = f"throughput {ref}/{o} >= {MIN_THR_VS_C}"
                    verdicts.append((arch, what, key, r[0], ok))
                elif (o == t_label and r and req >= TMPFS_FROM_BYTES
                      and not test.startswith("mmap")):
                    ok = r[0] >= MIN_THR_VS_TMPFS
                    what = f"throughput {ref}/{o} >= {MIN_THR_VS_TMPFS}"
                    verdicts.append((arch, what, key, r[0], ok))
                cells.append(fmt_ratio(r, ok))
            for o in others:
                r = ratio(pf, ref, o, 1)
                ok = None
                if o == c_label and r:
                    ok = r[0] <= MAX_P50_VS_C
                    what = f"p50 {ref}/{o} <= {MAX_P50_VS_C}"
                    verdicts.append((arch, what, key, r[0], ok))
                cells.append(fmt_ratio(r, ok))
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        if c_label:
            out += per_boot_section(configs, places, ref, c_label)
        # Flatness: per-request cost over file sizes, random I/O. The
        # host's speed changes for seconds at a time (a busy sibling
        # thread, other jobs), which moves every file alike: absolute
        # figures use the fastest repetition, and the ratio to the C twin
        # (same data structure, same memory footprint) is shown as well.
        out.append(f"Per-request p50 over file sizes, random I/O: fastest "
                   f"repetition of `{ref}` (and of the others), and the "
                   f"median ratio {ref}/{c_label}; target: max/min <= "
                   f"{MAX_FLAT_SPREAD}.\n")
        sweeps = defaultdict(dict)
        for (test, req, fsize), pf in configs.items():
            if test.startswith("rand") and req <= 4096:
                sweeps[(test, req)][fsize] = pf
        for (test, req), by_size in sorted(sweeps.items()):
            if len(by_size) < 2:
                continue
            sizes = sorted(by_size)
            fastest = {f: [best(by_size[s], f, 1) for s in sizes]
                       for f in files}
            spread = max(fastest[ref]) / min(fastest[ref])
            ok = spread <= MAX_FLAT_SPREAD
            what = f"flat p50 over file sizes <= {MAX_FLAT_SPREAD}"
            verdicts.append((arch, what, (test, req, 0), spread, ok))
            mark = " ✓" if ok else " ✗"
            pairs = zip(sizes, fastest[ref])
            line = f"- {test} {human(req)}, {ref}: " + ", ".join(
                f"{human(s)} {v / 1000:.2f}" for s, v in pairs)
            out.append(f"{line} µs; max/min {spread:.3f}{mark}")
            for f in others:
                sp = max(fastest[f]) / min(fastest[f])
                out.append(f"  - {f}: max/min {sp:.3f}")
            if c_label:
                rs = [ratio(by_size[s], ref, c_label, 1) for s in sizes]
                rs = [r[0] for r in rs if r]
                if rs:
                    out.append(f"  - {ref}/{c_label} p50 by size: "
                               + ", ".join(f"{r:.3f}" for r in rs)
                               + f"; max/min {max(rs) / min(rs):.3f}")
        out.append("")
    missed = [v for v in verdicts if not v[4]]
    met = len(verdicts) - len(missed)
    out.append(f"Targets: {met} of {len(verdicts)} met.")
    for arch, what, (test, req, fsize), value, _ in missed:
        where = f"{test} {human(req)}"
        if fsize:
            where += f" on {human(fsize)}"
        out.append(f"- missed on {arch}: {what}: {where}: {value:.3f}")
    return "\n".join(out) + "\n", verdicts


def summary(rows, ref, verdicts, source):
    """What docs/PERFORMANCE.md's results table shows of this run
    (test/bench-results.py): per architecture, the ratios of ref to the
    C twin and tmpfs on the 1 MiB file, and the targets met and missed."""
    out = {"source": source.strip(), "archs": {}}
    for (arch, accel), configs in sorted(rows.items()):
        runs = {run for c in configs.values() for v in c.values()
                for run in v}
        entries = []
        for (test, req, fsize), pf in sorted(configs.items()):
            if fsize != 1 << 20:
                continue
            entry = {"test": test, "req_bytes": req}
            for other, key in (("c", "c"), ("tmpfs", "tmpfs")):
                if other in pf and ref in pf:
                    entry[f"thr_{key}"] = ratio(pf, ref, other, 0)
                    entry[f"p50_{key}"] = ratio(pf, ref, other, 1)
            entries.append(entry)
        mine = [v for v in verdicts if v[0] == arch]
        out["archs"][arch] = {
            "accel": accel,
            "boots": len({boot for boot, _ in runs}),
            "repetitions": len(runs),
            "targets": len(mine),
            "met": sum(1 for v in mine if v[4]),
            "missed": [f"{what}: {test} {human(req)}"
                       + (f" on {human(fsize)}" if fsize else "")
                       + f": {value:.3f}"
                       for _, what, (test, req, fsize), value, ok in mine
                       if not ok],
            "rows": entries,
        }
    return out


def plot(rows, ref, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("bench-report: no matplotlib "
              "(apt-get install python3-matplotlib): no PNG",
              file=sys.stderr)
        return False
    archs = sorted(rows)
    fig, axes = plt.subplots(len(archs), 3, figsize=(15, 4.2 * len(archs)),
                             squeeze=False)
    for row, (arch, accel) in enumerate(archs):
        configs = rows[(arch, accel)]
        files = sorted({f for c in configs.values() for f in c})
        others = [f for f in files if f != ref]
        panels = ((0, "throughput"), (1, "p50 latency"))
        for col, (idx, what) in enumerate(panels):
            ax = axes[row][col]
            for test in ("seqread", "seqwrite", "randread", "randwrite"):
                for o, style in zip(others, ("-o", "--s", ":^")):
                    keys = sorted(k for k in configs
                                  if k[0] == test and k[2] == 1 << 20)
                    pts = [(k[1], ratio(configs[k], ref, o, idx))
                           for k in keys]
                    pts = [(x, r[0]) for x, r in pts if r]
                    if pts:
                        ax.plot([p[0] for p in pts], [p[1] for p in pts],
                                style, label=f"{test} {ref}/{o}",
                                markersize=4)
            ax.set_xscale("log", base=2)
            ax.axhline(1.0, color="grey", linewidth=0.8)
            ax.set_xlabel("request size (bytes), 1 MiB file")
            ax.set_ylabel(f"{what} ratio")
            ax.set_title(f"{arch} ({accel.upper()}): {what} {ref}/other")
            ax.legend(fontsize=6, ncol=2)
        ax = axes[row][2]
        for test in ("randread", "randwrite"):
            for req in (64, 4096):
                keys = sorted(k for k in configs
                              if k[0] == test and k[1] == req)
                if len(keys) < 2:
                    continue
                for f in files:
                    ax.plot([k[2] for k in keys],
                            [best(configs[k], f, 1) / 1000 for k in keys],
                            "-o" if f == ref else ":", markersize=3,
                            label=f"{f} {test} {human(req)}")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("file size (bytes)")
        ax.set_ylabel("p50 latency (µs, TCG), fastest repetition")
        ax.set_title(f"{arch}: per-request cost vs file size")
        ax.legend(fontsize=5, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def reexec_with_system_python():
    """matplotlib comes from Debian's python3-matplotlib: when the python3 on
    PATH (pyenv, a venv) lacks it, rerun under /usr/bin/python3."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        system = "/usr/bin/python3"
        here = os.path.realpath(sys.executable)
        if os.path.exists(system) and here != os.path.realpath(system):
            os.execv(system,
                     [system, os.path.abspath(__file__)] + sys.argv[1:])


def main():
    reexec_with_system_python()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="bench-report",
                    help="output prefix")
    ap.add_argument("--ref", default="rust",
                    help="label of the file compared to the others")
    ap.add_argument("csv", nargs="+")
    args = ap.parse_args()
    rows = load(args.csv)
    if not rows:
        sys.exit("bench-report: no rows")
    source = provenance()
    body, verdicts = analyse(rows, args.ref, placements(args.csv))
    md = source + "\n" + body
    with open(args.output + ".md", "w") as f:
        f.write(md)
    with open(args.output + ".json", "w") as f:
        json.dump(summary(rows, args.ref, verdicts, source), f, indent=1)
        f.write("\n")
    plot(rows, args.ref, args.output + ".png")
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
