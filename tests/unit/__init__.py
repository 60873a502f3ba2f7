"""Unit tests: one module or rule at a time, no terminal, no network."""
