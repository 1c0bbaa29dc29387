"""Imports and exports: staff files from HR, tables for people, open data, the whole registry.

Plain Python over the tables; the CLI and HTTP layers call these functions.
"""
