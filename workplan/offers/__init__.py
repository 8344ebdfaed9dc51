"""Governments' offers to co-chair a roundtable, join a team or propose a theme."""
