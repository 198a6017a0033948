#!/usr/bin/env python3
"""Scaling of parallel readers from rustprocfile-parallel CSV files.

Usage: bench-parallel-report.py [-o PREFIX] [--ref tmpfs] CSV...

Each CSV is one boot of test/bench-parallel.sh, named
parallel-ARCH-smpN.csv, with its -summary.txt beside it (the accelerator
and the CPUs online). Per boot and file: MiB/s with 1 and with N readers
(median over the repetitions, and the best), the scaling factor N/1
(median and range of the per-repetition factors) and, for every file but
the reference (--ref, default tmpfs; the last file of the CSV's first
repetition where there is none), that scaling over the reference's,
per repetition (the files are measured interleaved in each), median and
range. Target: at least 0.9. Writes PREFIX.md (default parallel) and
PREFIX.json (what test/bench-results.py puts into docs/PERFORMANCE.md),
and prints the markdown.
"""

import argparse
import csv
import json
import os
import re
import statistics
import sys

from bench_source import provenance

# Target of the parallel-readers issue: N readers of a file scale at least
# this well compared to N readers of a tmpfs file.
MIN_SCALING_VS_REF = 0.9

NAME_RE = re.compile(r"parallel-(.+)-smp(\d+)\.csv$")


def load(path):
    """One boot: its files in the order of their first rows (the order
    rustprocfile-parallel got them in), the readers counts and
    mib[(file, readers, rep)]."""
    files, counts, mib = [], set(), {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["file"] not in files:
                files.append(r["file"])
            readers = int(r["readers"])
            counts.add(readers)
            mib[(r["file"], readers, int(r["rep"]))] = float(r["mib_per_s"])
    return files, sorted(counts), mib


def summary_fields(path):
    """The 'key: value' lines of the summary beside a CSV (accel, vcpus,
    cpus); empty where there is no summary."""
    fields = {}
    summary = path[:-len(".csv")] + "-summary.txt"
    if os.path.exists(summary):
        with open(summary) as f:
            for line in f:
                m = re.match(r"^(accel|vcpus|cpus): (\S+)$", line.strip())
                if m:
                    fields[m.group(1)] = m.group(2)
    return fields


def spread(vals):
    return [statistics.median(vals), min(vals), max(vals)] if vals else None


def analyse(path, ref):
    """The figures of one boot, as PREFIX.json holds them: files is a
    list, in the order of the CSV's first rows."""
    m = NAME_RE.search(os.path.basename(path))
    if not m:
        sys.exit(f"bench-parallel-report: {path}: not parallel-ARCH-smpN.csv")
    arch, vcpus = m.group(1), int(m.group(2))
    files, counts, mib = load(path)
    if len(counts) != 2 or counts[0] != 1:
        sys.exit(f"bench-parallel-report: {path}: readers {counts}, "
                 f"expected 1 and N")
    n = counts[1]
    if ref not in files:
        ref = files[-1]
    reps = sorted({rep for (_, _, rep) in mib})
    fields = summary_fields(path)

    def scaling(f, rep):
        one, many = mib.get((f, 1, rep)), mib.get((f, n, rep))
        return many / one if one and many is not None else None

    out = {"arch": arch, "vcpus": vcpus, "readers": n,
           "cpus": int(fields.get("cpus", vcpus)),
           "accel": fields.get("accel", "unknown"),
           "repetitions": len(reps), "ref": ref, "files": []}
    for f in files:
        entry = {"file": f}
        for key, count in (("one", 1), ("many", n)):
            vals = [mib[(f, count, rep)] for rep in reps
                    if (f, count, rep) in mib]
            entry[key] = statistics.median(vals)
            entry[key + "_best"] = max(vals)
        entry["scaling"] = spread([s for s in (scaling(f, rep)
                                               for rep in reps) if s])
        if f != ref:
            quotients = []
            for rep in reps:
                mine, theirs = scaling(f, rep), scaling(ref, rep)
                if mine and theirs:
                    quotients.append(mine / theirs)
            entry["vs_ref"] = spread(quotients)
            entry["met"] = bool(quotients) and (
                entry["vs_ref"][0] >= MIN_SCALING_VS_REF)
        out["files"].append(entry)
    judged = [e for e in out["files"] if e["file"] != ref]
    out["targets"] = len(judged)
    out["met"] = sum(1 for e in judged if e["met"])
    out["missed"] = [f"{e['file']} scaling / {ref}'s: "
                     + (f"{e['vs_ref'][0]:.3f}" if e["vs_ref"] else "no data")
                     for e in judged if not e["met"]]
    return out


def fmt_range(r):
    return f"{r[0]:.3f} ({r[1]:.2f}-{r[2]:.2f})" if r else "-"


def markdown(boots):
    out = []
    for b in boots:
        n, ref = b["readers"], b["ref"]
        out.append(f"### {b['arch']}, {b['accel'].upper()}, {b['vcpus']} "
                   f"vCPUs ({b['cpus']} online), 1 and {n} readers, "
                   f"{b['repetitions']} repetitions\n")
        if b["cpus"] < n:
            out.append(f"{n} readers on {b['cpus']} CPUs: the CPUs bound "
                       f"the scaling, not the file.\n")
        head = ["file", "1 reader MiB/s", f"{n} readers MiB/s",
                f"scaling {n}/1", f"scaling / {ref}'s"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "---|" * len(head))
        for e in b["files"]:
            f, vs = e["file"], "-"
            if f != ref:
                mark = " ✓" if e["met"] else " ✗"
                vs = fmt_range(e["vs_ref"]) + mark
            out.append(f"| {f} | {e['one']:.1f} (best {e['one_best']:.1f})"
                       f" | {e['many']:.1f} (best {e['many_best']:.1f})"
                       f" | {fmt_range(e['scaling'])} | {vs} |")
        out.append("")
        out.append(f"Target: scaling at least {MIN_SCALING_VS_REF} times "
                   f"{ref}'s: {b['met']} of {b['targets']} met.")
        for what in b["missed"]:
            out.append(f"- missed on {b['arch']}, {b['vcpus']} vCPUs: "
                       f"{what}")
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", default="parallel",
                    help="output prefix")
    ap.add_argument("--ref", default="tmpfs",
                    help="label of the file whose scaling is the yardstick")
    ap.add_argument("csv", nargs="+")
    args = ap.parse_args()
    boots = sorted((analyse(p, args.ref) for p in args.csv),
                   key=lambda b: (b["arch"], b["vcpus"]))
    source = provenance()
    md = source + "\n" + markdown(boots)
    archs = {}
    for b in boots:
        archs.setdefault(b["arch"], []).append(b)
    with open(args.output + ".md", "w") as f:
        f.write(md)
    with open(args.output + ".json", "w") as f:
        json.dump({"source": source.strip(), "archs": archs}, f, indent=1)
        f.write("\n")
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
