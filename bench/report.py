"""What every benchmark script shares: the machine it ran on, and its section of docs/benchmarks.md."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    def first(pattern: str, path: str) -> str:
        found = re.search(pattern, Path(path).read_text(), re.M)
        return found.group(1) if found else "unknown"

    cpu = first(r"^model name\s*:\s*(.+)$", "/proc/cpuinfo")
    system = first(r'^PRETTY_NAME="?([^"\n]+)', "/etc/os-release")
    ram = int(first(r"^MemTotal:\s*(\d+) kB", "/proc/meminfo").replace("unknown", "0"))
    return f"{cpu}, {os.cpu_count()} logical cores, {ram / 1024**2:.1f} GiB RAM, {system}"


def write_section(section: str, text: str) -> Path:
    """Replace ``section`` (a "## …" heading) of docs/benchmarks.md, or append it."""
    path = ROOT / "docs" / "benchmarks.md"
    header = (
        "# Benchmarks\n\nEach section is written by a script in `bench/`; rerun it to refresh.\n"
    )
    current = path.read_text() if path.exists() else header
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current).rstrip("\n") + "\n"
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated)
    return path


def database_facts() -> dict[str, str]:
    """The PostgreSQL version and the size on disk of Django's current database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    version = connection.cursor().connection.info.server_version
    return {"server": f"{version // 10000}.{version % 10000}", "size": size}
