"""Versions of a record: every version the registry held of it, for each editable resource."""
