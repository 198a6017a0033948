# SPDX-License-Identifier: GPL-2.0
"""Byte counts as the benchmark reports and tables write them."""


def human(n):
    """n bytes as "4 KiB", "1 MiB" or "100 B": the largest unit that
    divides it."""
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} B"
