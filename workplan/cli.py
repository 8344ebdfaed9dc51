"""The command line: seed-demo, create-user, generate-data, backup."""

from flask import Flask


def register(app: Flask) -> None:
    """Attach the commands to the app."""
