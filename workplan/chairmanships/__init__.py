"""The chairmanships pages."""
