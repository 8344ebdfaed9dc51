"""A signed-in person's own settings: private calendar addresses and what their feed follows."""
