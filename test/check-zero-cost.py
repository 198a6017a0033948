#!/usr/bin/env python3
"""Check that kernel::proc_fs costs no indirection in a built rustprocfile.ko.

Usage: check-zero-cost.py [--inlined-helpers] MODULE.ko OBJDUMP

procfs calls the extern "C" trampolines of proc_fs::OperationsVtable<T>
through its proc_ops table; from there on, everything down to the driver's
handler must be direct: each trampoline (and the closure it hands to
from_result) may only call by name (bl / call <symbol>) or inline, never
branch through a register (a function pointer or a table). Prints TAP, one
test per trampoline function, and exits 1 on any indirect branch or if no
trampoline is found at all.

With --inlined-helpers (a module built with RUST_PROCFILE_INLINE_HELPERS,
package/rust-procfile/src/inline-helpers.kbuild) one more test: the module
calls no rust_helper_*() of the kernel but the one its build leaves out,
so that a build that silently stopped inlining fails here.
"""
import os
import re
import subprocess
import sys

# Functions that are part of the path from procfs into the driver.
PATH_RE = re.compile(
    r"proc_fs::OperationsVtable<rustprocfile\[?[0-9a-f]*\]?::(procfs::)?ProcFile>>::"
    r"(open|read_iter|read|write|llseek|truncate|release|inner|data)\b")
# Indirect control transfers: arm64 blr/br; x86 call/jmp through a register
# or memory operand, or a retpoline thunk standing in for one.
INDIRECT_RE = re.compile(
    r"\t(blr|br|braaz|blraaz)\s+x\d+|\t(call|jmp)\s*\*|__x86_indirect_thunk")
CALL_RE = re.compile(r"\t(bl|call|b|jmp)\s+[0-9a-f]+ <([^>]+)>")
# inline-helpers.kbuild names the helpers it leaves out (rpf-not-inlined).
INLINE_HELPERS_KBUILD = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "package", "rust-procfile",
    "src", "inline-helpers.kbuild")


def not_inlined():
    """The helpers inline-helpers.kbuild leaves out on purpose."""
    with open(INLINE_HELPERS_KBUILD) as f:
        for line in f:
            m = re.match(r"^rpf-not-inlined\s*=\s*(.*)$", line)
            if m:
                return set(m.group(1).split())
    sys.exit(f"no rpf-not-inlined in {INLINE_HELPERS_KBUILD}")


def read_module(ko, objdump):
    """From one objdump run: the kernel's rust_helper_*() the module calls
    (its undefined symbols of that name) and the instructions of each
    function."""
    out = subprocess.run([objdump, "-t", "-d", "-C", "--no-show-raw-insn", ko],
                         check=True, capture_output=True, text=True).stdout
    helpers = set()
    bodies = {}
    current = None
    in_symbols = False
    for line in out.splitlines():
        if line == "SYMBOL TABLE:":
            in_symbols = True
            continue
        if in_symbols:
            fields = line.split()
            if not fields:
                in_symbols = False
            elif "*UND*" in fields and fields[-1].startswith("rust_helper_"):
                helpers.add(fields[-1])
            continue
        m = re.match(r"^[0-9a-f]+ <(.+)>:$", line)
        if m:
            current = m.group(1)
            bodies[current] = []
        elif current is not None and line.startswith(" "):
            bodies[current].append(line)
    return sorted(helpers), bodies


def main(ko, objdump, inlined):
    helpers, bodies = read_module(ko, objdump)

    selected = sorted(n for n in bodies if PATH_RE.search(n))
    n = 0
    failed = 0
    for name in selected:
        n += 1
        body = bodies[name]
        indirect = [ins.strip() for ins in body if INDIRECT_RE.search(ins)]
        calls = (CALL_RE.search(ins) for ins in body)
        callees = sorted({m.group(2).split("+")[0] for m in calls if m})
        # Crate disambiguators ("kernel[f60e...]") only make lines longer.
        short = re.sub(r"\[[0-9a-f]+\]", "", name)
        if indirect:
            failed += 1
            print(f"not ok {n} {short}")
            for ins in indirect:
                print(f"#   indirect: {ins}")
        else:
            print(f"ok {n} {short} ({len(bodies[name])} instructions, "
                  f"{len(callees)} direct callees)")
        for c in callees:
            if "rustprocfile" in c or "storage" in c or "from_result" in c:
                print(f"#   calls {c[:160]}")
    # The module implements these four (reads through read_iter on the 6.18
    # kernel::proc_fs, read on 6.12); a missing one would mean the check no
    # longer looks at the code procfs calls.
    has_iter = any(re.search(r">>::read_iter$", name) for name in selected)
    for op in ("read_iter" if has_iter else "read", "write", "llseek",
               "truncate"):
        if not any(re.search(rf">>::{op}$", name) for name in selected):
            n += 1
            failed += 1
            print(f"not ok {n} trampoline for {op} not found in {ko}")
    if inlined:
        n += 1
        allowed = not_inlined()
        left = [h for h in helpers if h not in allowed]
        if left:
            failed += 1
            print(f"not ok {n} helpers inlined: the module calls "
                  + ", ".join(left))
        else:
            print(f"ok {n} helpers inlined: no rust_helper_* called but "
                  + ", ".join(sorted(allowed)))
    print(f"1..{n}")
    print(f"zero-cost: {n - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    inlined = args[:1] == ["--inlined-helpers"]
    if inlined:
        args = args[1:]
    if len(args) != 2:
        sys.exit(__doc__)
    sys.exit(main(args[0], args[1], inlined))
