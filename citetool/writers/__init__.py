"""Writers: pure functions ``write(records, **options) -> WriteResult``."""
