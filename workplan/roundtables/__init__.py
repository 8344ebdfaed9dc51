"""The roundtables pages."""
