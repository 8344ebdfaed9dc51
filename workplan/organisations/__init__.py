"""The organisations pages."""
