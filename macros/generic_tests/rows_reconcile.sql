{#-
    row_reconciliation's test: every raw row is staged, quarantined, a dropped re-delivered copy or
    after the as-of. Returns one row per table that does not add up, with the count and a message
    naming the table and the relation the rows are missing from (or extra in).
-#}
{% test rows_reconcile(model) %}
select
    table_name,
    staged_relation,
    raw_rows,
    staged_rows,
    quarantined_rows,
    duplicate_copies_dropped,
    after_as_of_rows,
    raw_rows - (staged_rows + quarantined_rows + duplicate_copies_dropped + after_as_of_rows) as rows_lost,
    case
        when raw_rows > staged_rows + quarantined_rows + duplicate_copies_dropped + after_as_of_rows
            then {{ dbt.concat([
                "table_name", "': '",
                dbt.cast("raw_rows - (staged_rows + quarantined_rows + duplicate_copies_dropped + after_as_of_rows)",
                         dbt.type_string()),
                "' raw row(s) lost: neither in '", "staged_relation",
                "', nor quarantined, nor dropped as re-delivered copies (late rows beyond var"
                ~ " incremental_late_window_days? rebuild with dbt build --full-refresh)'"
            ]) }}
        else {{ dbt.concat([
            "table_name", "': '",
            dbt.cast("(staged_rows + quarantined_rows + duplicate_copies_dropped + after_as_of_rows) - raw_rows",
                     dbt.type_string()),
            "' row(s) more in '", "staged_relation", "' and the quarantine than in the raw file (duplicated)'"
        ]) }}
    end as message
from {{ model }}
where
    raw_rows is null
    or raw_rows <> staged_rows + quarantined_rows + duplicate_copies_dropped + after_as_of_rows
{% endtest %}
