"""Write src/soleus/store/compiled.py: soleus.store.queries' queries and WRITES as SQLite SQL.

Run after changing a query, a write statement or a table they use; the tests
(tests/store/test_compiled.py, tests/services/test_inbox_lite.py) fail until it is.
    python scripts/compile_queries.py
"""

from __future__ import annotations

from pathlib import Path

from soleus.store.queries import render

TARGET = Path(__file__).resolve().parents[1] / "src" / "soleus" / "store" / "compiled.py"

if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
