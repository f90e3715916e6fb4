{#-
    One row per live lead: the profile attributes fit rules match (seed scoring_rules, signal_type
    lead_profile), as the CRM has them at the end of the data, and the moment the person became
    known to the CRM (earliest creation of any of its records). Titles are parsed into a
    seniority with seed title_seniority_patterns; employee counts into seed
    scoring_attribute_bands; email domains into seed scoring_email_domains.
-#}
with

{{ import_refs({
    'lead_records': 'int_leads_merges_resolved',
    'leads': 'stg_crm__leads',
    'accounts': 'stg_crm__accounts',
    'title_patterns': 'title_seniority_patterns',
    'attribute_bands': 'scoring_attribute_bands',
    'email_domains': 'scoring_email_domains',
}) }},

person_known as (

    select
        surviving_lead_id as lead_id,
        min(created_at) as known_at

    from lead_records
    where is_history_kept
    group by surviving_lead_id

),

live_leads as (

    select
        leads.lead_id,
        leads.title,
        leads.email_domain,
        leads.account_id,
        person_known.known_at,
        -- Lower-case, punctuation as spaces, padded: patterns match whole words.
        ' ' || {{ scoring_title_words('leads.title') }} || ' ' as title_words

    from lead_records
    inner join leads
        on lead_records.lead_id = leads.lead_id
    inner join person_known
        on lead_records.lead_id = person_known.lead_id
    where lead_records.is_live

),

title_matches as (

    select
        live_leads.lead_id,
        title_patterns.seniority,
        row_number() over (
            partition by live_leads.lead_id
            order by title_patterns.match_priority, title_patterns.pattern
        ) as match_rank

    from live_leads
    inner join title_patterns
        on live_leads.title_words like '% ' || title_patterns.pattern || ' %'

),

final as (

    select
        live_leads.lead_id,
        live_leads.account_id,
        live_leads.known_at,
        case
            when live_leads.title is null then 'unknown'
            else coalesce(title_matches.seniority, 'other')
        end as title_seniority,
        accounts.industry,
        case
            when accounts.employee_count is null then 'unknown'
            else coalesce(attribute_bands.band, 'unknown')
        end as employee_band,
        accounts.country_code,
        case
            when accounts.is_target_account then 'true'
            when accounts.is_target_account is not null then 'false'
        end as is_target_account,
        case
            when live_leads.email_domain is null then 'unknown'
            else coalesce(email_domains.domain_type, 'other')
        end as email_domain_type

    from live_leads
    left join title_matches
        on
            live_leads.lead_id = title_matches.lead_id
            and title_matches.match_rank = 1
    left join accounts
        on live_leads.account_id = accounts.account_id
    left join attribute_bands
        on
            attribute_bands.attribute_name = 'employee_count'
            and accounts.employee_count >= coalesce(attribute_bands.lower_bound, accounts.employee_count)
            and accounts.employee_count < coalesce(attribute_bands.upper_bound, accounts.employee_count + 1)
    left join email_domains
        on live_leads.email_domain = email_domains.email_domain

)

select * from final
