"""Samples of the published families (tests/samples/generate.py), with the values each must give."""
