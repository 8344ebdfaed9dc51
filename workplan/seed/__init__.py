"""Data to load, not rules: the forum's public structure with invented records for a demo
(`flask seed-demo`), and synthetic data sets at a chosen scale for benchmarks
(`flask generate-data`)."""

# Marks every invented record's words, in every loader.
DEMO = " (demo)"
# The demo loader's keys for the chairmanship in office and the one after it.
CURRENT = "current"
NEXT = "next"
