{#-
    One row per marketing email (message_id). Incremental by key: a run finds the messages
    touched by events loaded since the watermark and re-computes each of them from all its
    events (delete+insert / merge on message_id), so a late open or click updates its email
    exactly as a full rebuild would.
-#}
{{ incremental_by_key_config('message_id', one_row_per_key=true) }}

{{ as_of_needs_full_refresh() }}

with

-- The events of the messages touched since the watermark (every event on a full build).
message_events as (

    {{ touched_key_rows('stg_marketing__email_events', 'message_id') }}

),

messages as (

    select
        message_id,
        min(campaign_id) as campaign_id,
        min(lead_id) as lead_id,
        min(case when event_type = 'send' then occurred_at end) as sent_at,
        min(occurred_at) as first_event_at,
        max(case when event_type = 'deliver' then 1 else 0 end) as is_delivered,
        max(case when event_type = 'open' then 1 else 0 end) as is_opened,
        max(case when event_type = 'click' then 1 else 0 end) as is_clicked,
        max(case when event_type = 'bounce' then 1 else 0 end) as is_bounced,
        max(case when event_type = 'unsubscribe' then 1 else 0 end) as is_unsubscribed,
        max(case when event_type = 'spam' then 1 else 0 end) as is_spam_report,
        min(case when event_type = 'click' then occurred_at end) as first_clicked_at,
        max(loaded_at) as last_loaded_at

    from message_events
    group by message_id

),

final as (

    select
        message_id,
        campaign_id,
        lead_id,
        coalesce(sent_at, first_event_at) as sent_at,
        case when sent_at is null then 1 else 0 end as is_missing_send_event,
        is_delivered,
        is_opened,
        is_clicked,
        is_bounced,
        is_unsubscribed,
        is_spam_report,
        first_clicked_at,
        last_loaded_at

    from messages

)

select *{{ incremental_key_bucket('message_id') }} from final
