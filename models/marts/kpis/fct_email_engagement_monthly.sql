with

{{ import_refs({
    'messages': 'int_email_messages_rolled_up',
    'campaigns': 'stg_marketing__campaigns',
}) }},

monthly as (

    select
        campaign_id,
        cast({{ dbt.date_trunc('month', 'sent_at') }} as date) as sent_month,
        count(*) as emails_sent,
        cast(sum(is_delivered) as {{ dbt.type_bigint() }}) as emails_delivered,
        cast(sum(is_opened) as {{ dbt.type_bigint() }}) as emails_opened,
        cast(sum(is_clicked) as {{ dbt.type_bigint() }}) as emails_clicked,
        cast(sum(is_bounced) as {{ dbt.type_bigint() }}) as emails_bounced,
        cast(sum(is_unsubscribed) as {{ dbt.type_bigint() }}) as emails_unsubscribed,
        cast(sum(is_spam_report) as {{ dbt.type_bigint() }}) as emails_reported_spam

    from messages
    group by
        campaign_id,
        cast({{ dbt.date_trunc('month', 'sent_at') }} as date)

),

final as (

    select
        monthly.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        monthly.sent_month,
        monthly.emails_sent,
        monthly.emails_delivered,
        monthly.emails_opened,
        monthly.emails_clicked,
        monthly.emails_bounced,
        monthly.emails_unsubscribed,
        monthly.emails_reported_spam,
        {{ safe_divide('monthly.emails_delivered', 'monthly.emails_sent') }} as delivery_rate,
        {{ safe_divide('monthly.emails_opened', 'monthly.emails_delivered') }} as open_rate,
        {{ safe_divide('monthly.emails_clicked', 'monthly.emails_delivered') }} as click_rate,
        {{ safe_divide('monthly.emails_clicked', 'monthly.emails_opened') }} as click_to_open_rate,
        {{ safe_divide('monthly.emails_unsubscribed', 'monthly.emails_delivered') }} as unsubscribe_rate,
        {{ safe_divide('monthly.emails_bounced', 'monthly.emails_sent') }} as bounce_rate,
        {{ safe_divide('monthly.emails_reported_spam', 'monthly.emails_delivered') }} as spam_rate

    from monthly
    left join campaigns
        on monthly.campaign_id = campaigns.campaign_id

)

select * from final
