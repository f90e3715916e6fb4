{#- Every live lead record appears in dim_leads exactly once, and nothing else does. -#}
with

live_leads as (

    select lead_id
    from {{ ref('int_leads_merges_resolved') }}
    where is_live

),

dim_rows as (

    select
        lead_id,
        count(*) as n_rows

    from {{ ref('dim_leads') }}
    group by lead_id

)

select
    coalesce(live_leads.lead_id, dim_rows.lead_id) as lead_id,
    live_leads.lead_id is not null as is_live,
    coalesce(dim_rows.n_rows, 0) as n_rows

from live_leads
full outer join dim_rows
    on live_leads.lead_id = dim_rows.lead_id
where
    live_leads.lead_id is null
    or dim_rows.n_rows is null
    or dim_rows.n_rows <> 1
