{#- Generated from lead_funnel/contract.py by `lead-funnel contract-docs`; do not edit by hand.
    The contract's allowed values of an enumerated raw column, used by map_unknown(). -#}
{% macro raw_accepted_values(table_name, column_name) -%}
    {%- set allowed = {
        'accounts.industry': ['software', 'financial_services', 'healthcare', 'manufacturing', 'retail', 'education', 'professional_services', 'media', 'public_sector', 'other'],
        'accounts.country': ['US', 'GB', 'DE', 'FR', 'NL', 'CA', 'AU', 'IN', 'BR', 'JP'],
        'users.role': ['sdr', 'ae', 'manager'],
        'leads.lead_source': ['Google Ads', 'LinkedIn Ads', 'Display', 'Organic Search', 'Email', 'Webinar', 'Trade Show', 'Referral', 'Partner', 'Direct', 'Content Syndication'],
        'opportunities.currency': ['USD', 'EUR', 'GBP'],
        'opportunities.stage_name': ['Prospecting', 'Discovery', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
        'opportunity_stage_changes.old_stage': ['Prospecting', 'Discovery', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
        'opportunity_stage_changes.new_stage': ['Prospecting', 'Discovery', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
        'activities.activity_type': ['call', 'email', 'meeting'],
        'web_events.page_category': ['home', 'pricing', 'product', 'blog', 'docs', 'careers', 'contact', 'case_study', 'other'],
        'email_events.event_type': ['send', 'deliver', 'open', 'click', 'bounce', 'unsubscribe', 'spam'],
        'form_submissions.form_type': ['newsletter', 'content_download', 'webinar_registration', 'demo_request', 'contact_sales', 'free_trial'],
        'form_submissions.asset_funnel_stage': ['tofu', 'mofu', 'bofu'],
        'campaigns.channel': ['paid_search', 'paid_social', 'display', 'organic_search', 'email', 'webinar', 'events', 'referral', 'partner', 'direct', 'content_syndication'],
        'campaigns.campaign_type': ['paid_search', 'paid_social', 'display', 'email', 'webinar', 'event', 'content_syndication', 'organic', 'partner'],
        'campaign_members.status': ['sent', 'registered', 'attended', 'responded'],
        'ad_spend.channel': ['paid_search', 'paid_social', 'display', 'organic_search', 'email', 'webinar', 'events', 'referral', 'partner', 'direct', 'content_syndication'],
    } -%}
    {%- set key = table_name ~ '.' ~ column_name -%}
    {%- if key not in allowed -%}
        {{ exceptions.raise_compiler_error('raw_accepted_values: no allowed values for ' ~ key) }}
    {%- endif -%}
    {{ return(allowed[key]) }}
{%- endmacro %}
