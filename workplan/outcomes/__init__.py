"""Chair's summaries, roundtable reports and the thematic recollection, drafted from the record."""
