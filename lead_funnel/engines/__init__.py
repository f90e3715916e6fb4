"""Other engines than DuckDB: a throwaway local PostgreSQL and its raw-file loader (docs/engines.md)."""
