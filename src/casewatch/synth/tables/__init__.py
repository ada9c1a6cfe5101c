"""Builders that turn one chunk's simulation into rows of the contract's tables, one module per service area."""
