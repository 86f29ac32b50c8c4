"""snacks."""
