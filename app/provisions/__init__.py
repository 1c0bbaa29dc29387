"""Provisions as a domain: who delivers a service where, over which period."""
