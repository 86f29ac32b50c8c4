"""Write src/soleus/store/compiled.py: the read queries of soleus.store.queries as SQLite SQL.

Run after changing a query or a table it reads; tests/store/test_compiled.py fails until
the file is written again.
    python scripts/compile_queries.py
"""

from __future__ import annotations

from pathlib import Path

from soleus.store.queries import render

TARGET = Path(__file__).resolve().parents[1] / "src" / "soleus" / "store" / "compiled.py"

if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
