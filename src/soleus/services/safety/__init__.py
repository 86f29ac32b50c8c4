"""Keeping the person safe: the red-flag screen (screen) and today's advice from pain (advice)."""
