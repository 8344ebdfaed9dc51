"""The teams pages."""
