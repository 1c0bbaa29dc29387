"""Benchmarks of the registry at national scale: ``python -m bench`` (see README)."""
