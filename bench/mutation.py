"""Mutation score of the pure domain and the session/log services, each file against its
own tests (mutmut 3, configured in pyproject's ``[tool.mutmut]``).

    python bench/mutation.py                      # every file in TARGETS (slow: hours)
    python bench/mutation.py domain/safety.py     # one file (a path under src/soleus)
    python bench/mutation.py --survivors domain/day.py   # also list what survived
    python bench/mutation.py --runs 3 domain/stats.py    # the same figure three times?
    python bench/mutation.py domain/player/cues.py --tests domain/test_player_cues.py

``--tests`` judges the files by those tests only (paths under tests/), instead of their
own list: a quick lower bound, since fewer tests never kill more mutants.

Each file runs in a scratch copy of the project (``--work``, default under /tmp) whose
``[tool.mutmut]`` is narrowed to that file and its tests, so one file's mutants are
judged by the tests written for it, never by the whole suite, and the worktree stays
clean. Hypothesis runs on the fixed ``mutation`` profile (tests/conftest.py: derandomized,
no example database), so the same tree gives the same score on every run.

Text-only mutants are excluded from the score by this rule (:func:`text_only`): the
mutant's function is the original except where the original has prose -- an f-string,
or a string literal with whitespace in it -- and there the mutant has another string or
None (a message emptied). Those change what a person reads, not what the program does;
a changed identifier-like literal (``"work"``, ``"hold"``, ``"after"``) still counts,
because code compares it.

Detected: killed, timeout, caught by the type check. Undetected: survived, no tests,
suspicious. The score is detected / (detected + undetected), text-only excluded.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "src/soleus"

PLAYER_TESTS = (
    "domain/test_player_snapshot.py",
    "domain/test_player_schedule.py",
    "domain/test_player_cues.py",
    "domain/test_player_machine.py",
    "domain/test_player_sides.py",
    "domain/test_player_props.py",
)
# Each mutated file and the tests that are its own (paths under tests/).
TARGETS: dict[str, tuple[str, ...]] = {
    "domain/player/cues.py": PLAYER_TESTS,
    "domain/player/schedule.py": PLAYER_TESTS,
    "domain/player/machine.py": PLAYER_TESTS,
    "domain/progress.py": ("domain/test_progress.py",),
    "domain/safety.py": ("domain/test_safety.py",),
    "domain/day.py": ("domain/test_day.py",),
    "domain/stats.py": ("domain/test_stats.py",),
    "domain/snacks/policy.py": (
        "domain/test_reminders.py",
        "domain/test_reminders_props.py",
        "domain/test_reminder_windows.py",
    ),
    "domain/snacks/engine.py": (
        "domain/test_reminder_engine.py",
        "domain/test_reminders.py",
        "domain/test_reminders_props.py",
        "domain/test_reminder_windows.py",
    ),
    "domain/snacks/menu.py": ("domain/test_snack_menu.py", "domain/test_reminders.py"),
    "domain/snacks/records.py": ("domain/test_snack_records.py",),
    "services/sessions/guided.py": (
        "services/test_sessions.py",
        "services/test_sessions_kill.py",
    ),
    "services/sessions/player.py": ("services/test_session_player.py",),
    "services/logs/inbox.py": ("services/test_inbox.py",),
    "services/logs/logbook.py": ("services/test_logbook.py", "services/test_inbox.py"),
    "services/logs/quicklog.py": ("services/test_quicklog.py",),
}

DETECTED = {"killed", "timeout", "caught by type check"}
UNDETECTED = {"survived", "no tests", "suspicious"}
# mutmut's exit codes (mutmut/stats.py, 3.8).
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    35: "suspicious",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "caught by type check",
}


@dataclass
class Score:
    file: str
    total: int = 0
    text_only: int = 0
    detected: int = 0
    survivors: list[str] = field(default_factory=list)
    other: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def counted(self) -> int:
        return self.detected + len(self.survivors)

    @property
    def score(self) -> float:
        return 100.0 * self.detected / self.counted if self.counted else 100.0


# -- the text-only rule ---------------------------------------------------------------


def _prose(node: ast.AST) -> bool:
    """A string a person reads: an f-string, or a literal with whitespace in it."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.search(r"\s", node.value) is not None
    )


def _text(node: ast.AST) -> bool:
    """What a prose literal may have been mutated into: another string, or None."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, str))
    )


def _same_but_prose(a: object, b: object) -> bool:
    if isinstance(a, ast.AST) and isinstance(b, ast.AST):
        if _prose(a) and _text(b):
            return True
        if type(a) is not type(b):
            return False
        return all(
            _same_but_prose(getattr(a, f, None), getattr(b, f, None))
            for f in a._fields
            if f != "name"  # the mutant's function has a name of its own
        )
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_but_prose(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def text_only(original: ast.AST, mutant: ast.AST) -> bool:
    """The mutant changes only prose literals of ``original`` (see the module doc)."""
    return _same_but_prose(original, mutant)


def _functions(tree: ast.AST) -> dict[str, ast.AST]:
    return {
        n.name: n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
    }


# -- running --------------------------------------------------------------------------


def _config(target: str, tests: tuple[str, ...], base: str) -> str:
    """``[tool.mutmut]`` of the project, narrowed to ``target`` and its own tests."""
    lines = [
        "[tool.mutmut]",
        f"only_mutate = [{json.dumps(f'{PACKAGE}/{target}')}]",
        "pytest_add_cli_args_test_selection = " + json.dumps([f"tests/{t}" for t in tests]),
    ]
    narrowed = ("[", "#", "only_mutate", "pytest_add_cli_args_test_selection")
    keep = [line for line in base.splitlines() if line.strip() and not line.startswith(narrowed)]
    return "\n".join([*lines, *keep]) + "\n"


def _with_config(pyproject: str, target: str, tests: tuple[str, ...]) -> str:
    match = re.search(r"^\[tool\.mutmut\]\n(.*?)(?=^\[|\Z)", pyproject, re.M | re.S)
    if match is None:
        raise SystemExit("pyproject.toml has no [tool.mutmut] table")
    narrowed = _config(target, tests, match.group(1))
    return pyproject[: match.start()] + narrowed + "\n" + pyproject[match.end() :]


def prepare(work: Path, target: str, tests: tuple[str, ...] | None = None) -> Path:
    slug = target.replace("/", "_").removesuffix(".py")
    where = work / slug
    if where.exists():
        shutil.rmtree(where)
    where.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    shutil.copytree(ROOT / "src", where / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", where / "tests", ignore=ignore)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    narrowed = _with_config(text, target, tests or TARGETS[target])
    (where / "pyproject.toml").write_text(narrowed, encoding="utf-8")
    return where


def run(work: Path, target: str, children: int, tests: tuple[str, ...] | None = None) -> Score:
    where = prepare(work, target, tests)
    env = {**os.environ, "HYPOTHESIS_PROFILE": "mutation"}
    env.pop("CI", None)  # the real-part checks are not what a mutant is judged by
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "run", "--max-children", str(children)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    meta = where / "mutants" / PACKAGE / f"{target}.meta"
    if not meta.exists():
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"mutmut wrote no results for {target} (exit {done.returncode})")
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    mutated = ast.parse((where / "mutants" / PACKAGE / target).read_text(encoding="utf-8"))
    functions = _functions(mutated)
    score = Score(target, seconds=seconds)
    for name, code in sorted(codes.items()):
        score.total += 1
        local = name.rpartition(".")[2]
        original = functions.get(local.partition("__mutmut_")[0] + "__mutmut_orig")
        mutant = functions.get(local)
        if original is not None and mutant is not None and text_only(original, mutant):
            score.text_only += 1
            continue
        status = "not checked" if code is None else STATUS.get(code, "suspicious")
        if status in DETECTED:
            score.detected += 1
        elif status in UNDETECTED:
            score.survivors.append(name)
        else:
            score.other[status] = score.other.get(status, 0) + 1
    return score


def table(scores: list[Score]) -> str:
    rows = ["| file | mutants | text-only | counted | survived | score | time |"]
    rows.append("|---|---|---|---|---|---|---|")
    for s in scores:
        extra = "".join(f", {n} {k}" for k, n in sorted(s.other.items()))
        rows.append(
            f"| {s.file} | {s.total} | {s.text_only} | {s.counted}{extra} |"
            f" {len(s.survivors)} | {s.score:.1f} % | {s.seconds:.0f} s |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help=f"paths under {PACKAGE} (default: all)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/soleus-mutation"))
    parser.add_argument("--children", type=int, default=2, help="parallel mutants (2 cores)")
    parser.add_argument("--survivors", action="store_true", help="list the survivors")
    parser.add_argument("--min", type=float, default=None, help="exit 1 below this score")
    parser.add_argument("--tests", nargs="+", help="judge by these tests only (a lower bound)")
    parser.add_argument(
        "--runs", type=int, default=1, help="run each file this many times (exit 1 if unequal)"
    )
    args = parser.parse_args(argv)
    files = args.files or list(TARGETS)
    unknown = [f for f in files if f not in TARGETS]
    if unknown:
        parser.error(f"not a target: {', '.join(unknown)} (see TARGETS)")
    scores = []
    unsteady = []
    for target in files:
        figures = set()
        for _ in range(args.runs):
            tests = tuple(args.tests) if args.tests else None
            scores.append(run(args.work, target, args.children, tests))
            figures.add((scores[-1].detected, tuple(scores[-1].survivors)))
            print(table(scores[-1:]).splitlines()[-1], flush=True)
        if len(figures) > 1:
            unsteady.append(target)
    print()
    print(table(scores))
    if args.survivors:
        for s in scores:
            for name in s.survivors:
                where = args.work / s.file.replace("/", "_").removesuffix(".py")
                print(f"survived: {name}  (cd {where} && mutmut show {name})")
    if unsteady:
        print(f"not the same on every run: {', '.join(unsteady)}")
    if unsteady or (args.min is not None and any(s.score < args.min for s in scores)):
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
