"""An independent simulator of phone recordings of seated soleus pushups (see README.md)."""

from bench.sim2.corpus import Case, TrueSet, corpus

__all__ = ["Case", "TrueSet", "corpus"]
