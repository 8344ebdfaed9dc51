"""Calendar feeds, the public subscription page, and "Add to calendar" downloads."""
