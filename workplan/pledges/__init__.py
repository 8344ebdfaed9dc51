"""The pledges pages."""
