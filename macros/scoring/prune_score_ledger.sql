{#-
    fct_lead_score_ledger's post-hook: drop the rows of leads that are gone (merged away, deleted)
    or whose current-state fingerprint no longer matches (docs/incremental.md). Clone-safe: under
    `dbt clone` the ledger is a view (or a zero-copy clone) of another environment's table, which
    must not be written, so the hook renders to nothing there.
-#}
{% macro prune_score_ledger() -%}
    {%- if flags.WHICH == 'clone' -%}
        {{ return('') }}
    {%- endif -%}
    {{ delete_where(this, ledger_rows_out_of_date(this)) }}
{%- endmacro %}
