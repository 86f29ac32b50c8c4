"""Use cases that combine the domain and the store; what the CLI and the web call."""
