"""A deterministic synthetic registry of national size, and its bulk loader."""
