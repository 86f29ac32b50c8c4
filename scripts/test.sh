#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest against SQLite and a real PostgreSQL,
# with the browser tests in Debian's Chromium. Called by `make test` and .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin
# Every real part (Chromium, D-Bus, mediapipe, PostgreSQL, tmux) is set up by
# `make test`: with CI=true a test that would skip for a missing one fails instead.
export CI=true
echo "== ruff"; $py/ruff check src tests bench scripts; $py/ruff format --check src tests bench scripts
echo "== mypy (src and tests, pyproject [tool.mypy] files)"; $py/mypy
echo "== import contracts"; $py/lint-imports --no-cache
echo "== shape (file length, no clock reads in the domain)"; $py/python scripts/check_shape.py
pg_dir=$(mktemp -d /tmp/soleus-pg.XXXXXX)
port=$(( 50000 + RANDOM % 10000 ))
trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
export SOLEUS_TEST_POSTGRES_URL
SOLEUS_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$pg_dir" "$port")
echo "== pytest (PostgreSQL at 127.0.0.1:$port)"
$py/pytest -q "$@"
