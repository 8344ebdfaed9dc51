"""The reports: progress summaries and funding reports, on the page and as downloads."""
