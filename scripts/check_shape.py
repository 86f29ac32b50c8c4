"""Shape rules that linters don't check; run by scripts/test.sh, exit 1 on a breach.

1. No file under src/ is longer than 500 lines: a longer one holds more than one concept.
2. The domain never reads the clock (``datetime.now()``, ``date.today()``, ...): time is
   injected (import-linter already keeps ``time`` and I/O modules out of it).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "soleus"
MAX_LINES = 500
CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
}


def long_files() -> list[str]:
    problems = []
    for path in sorted(SRC.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".svg"):
            continue
        try:
            lines = path.read_text(encoding="utf-8").count("\n")
        except UnicodeDecodeError:
            continue
        if lines > MAX_LINES:
            problems.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_LINES})")
    return problems


def clock_reads() -> list[str]:
    problems = []
    for path in sorted((SRC / "domain").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in CLOCK_READS
            ):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                problems.append(f"{where}: the domain reads the clock; take a Clock or a time")
    return problems


def main() -> int:
    problems = long_files() + clock_reads()
    for problem in problems:
        print(f"check_shape: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
