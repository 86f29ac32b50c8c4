"""Repositories of accounts mode: keyword-only arguments, an explicit connection."""
