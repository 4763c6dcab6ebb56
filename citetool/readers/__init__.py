"""Readers: pure functions ``read(text, source, **options) -> ReadResult``."""
