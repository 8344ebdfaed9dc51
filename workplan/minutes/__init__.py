"""A meeting's record: its minutes, decisions and action items."""
