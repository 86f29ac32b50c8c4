"""SVG charts drawn on the server: History (history), Snacks (snacks), a recording (recording)."""
