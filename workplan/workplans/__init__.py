"""The workplans pages."""
