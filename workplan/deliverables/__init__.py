"""The deliverables pages."""
