"""Presentation rules shared by the CLI views and the dashboard; no Textual, no Polars at import."""
