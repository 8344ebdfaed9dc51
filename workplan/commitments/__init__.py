"""Commitments of governments and organisations, and their periodic reports."""
