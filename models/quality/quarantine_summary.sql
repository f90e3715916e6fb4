{#-
    The quarantine at a glance: one row per raw table and quarantine reason, with the rows set aside
    and their share of the table's raw rows. The circuit breaker (data test
    quarantine_share_within_limit) fails the build, before anything is published, when a table's
    quarantined share exceeds var quarantine_max_share (per table: var
    quarantine_max_share_by_table). docs/bad_inputs.md.
-#}
with

reconciliation as (

    select * from {{ ref('row_reconciliation') }}

),

reasons as (

    {{ quarantine_reason_counts() }}

),

final as (

    select
        reasons.source_name,
        reasons.table_name,
        reasons.quarantine_reason,
        reasons.quarantined_rows,
        reconciliation.raw_rows,
        {{ safe_divide('reasons.quarantined_rows', 'reconciliation.raw_rows') }} as share_of_raw_rows

    from reasons
    inner join reconciliation
        on reasons.table_name = reconciliation.table_name

)

select * from final
