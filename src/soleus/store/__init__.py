"""Persistence: the only package that imports SQLAlchemy.

Repositories are modules of functions with keyword-only arguments that take an
explicit connection (``conn``); callers own the transaction (``store.begin()``).
"""
