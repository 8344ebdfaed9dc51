"""The document shelf of meetings, roundtables and government teams."""
