"""Data to load, not rules: the forum's public structure with invented records for a demo
(`flask seed-demo`), and synthetic data sets at a chosen scale for benchmarks
(`flask generate-data`)."""
