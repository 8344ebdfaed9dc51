"""Command-line tools around the app that are not part of it: screenshots of the main pages."""
