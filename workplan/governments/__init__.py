"""The governments pages."""
