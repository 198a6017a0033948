# SPDX-License-Identifier: GPL-2.0
"""Where a benchmark report comes from: the line its reports start with."""

import datetime
import os
import subprocess


def git(repo, *args):
    """Output of git in repo, stripped; None where git or the repository
    is not there."""
    try:
        out = subprocess.run(["git", "-C", repo] + list(args),
                             capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def cpu_model():
    """The host CPU's model name from /proc/cpuinfo; None where there is
    none (aarch64 kernels print no model name)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and value.strip():
                    return value.strip()
    except OSError:
        pass
    return None


def provenance():
    """One line: when, on which host and at which commit of this repository
    (the parent of test/) the report was generated. "-dirty" marks a work
    tree with changes to tracked files: its figures are not those of the
    commit alone."""
    repo = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    commit = git(repo, "rev-parse", "--short", "HEAD")
    if commit is None:
        commit = "unknown"
    elif git(repo, "--no-optional-locks", "status", "--porcelain",
             "--untracked-files=no"):
        commit += "-dirty"
    uname = os.uname()
    host = f"{uname.nodename} ({uname.machine}"
    model = cpu_model()
    host += f", {model})" if model else ")"
    now = datetime.datetime.now(datetime.timezone.utc)
    return (f"Generated {now:%Y-%m-%d %H:%M} UTC on {host} at commit "
            f"{commit}.\n")
