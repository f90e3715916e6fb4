"""lead_funnel: transparent lead-lifecycle analytics on dbt + DuckDB."""

__version__ = "0.1.0"
