"""Packaged data files of the project's own writing (none copied from third-party corpora)."""
