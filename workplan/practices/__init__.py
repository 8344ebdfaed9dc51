"""The good-practice library, and the themes that tie the forum's work together."""
