"""Coverage by sex from programmes' MIS beneficiary extracts, counted with DuckDB."""
