{#-
    The credit of a touch at 1-based `position` among `touches` touches, per attribution model
    (select-list items; each model's credits add up to 1 over the touches):
      first_touch_credit  1 for the first touch
      last_touch_credit   1 for the last touch
      linear_credit       1 / touches
      u_shape_credit      position-based: 40% first, 40% last, 20% shared by the touches between
                          (one touch: 100%; two: 50% each)
-#}
{% macro attribution_credits(position, touches) -%}
        cast(case when {{ position }} = 1 then 1 else 0 end as {{ type_double() }}) as first_touch_credit,
        cast(case when {{ position }} = {{ touches }} then 1 else 0 end as {{ type_double() }})
            as last_touch_credit,
        {{ safe_divide('1', touches) }} as linear_credit,
        cast(case
            when {{ touches }} = 1 then 1.0
            when {{ touches }} = 2 then 0.5
            when {{ position }} = 1 or {{ position }} = {{ touches }} then 0.4
            else 0.2 / ({{ touches }} - 2)
        end as {{ type_double() }}) as u_shape_credit
{%- endmacro %}

{#- What fct_mql_touch_attribution fingerprints per lead (incremental by fingerprint): the columns
    of its MQL cycles and touches it reads. -#}
{% macro mql_touch_fingerprint_inputs(cycles, touches) -%}
    {{ return([
        {'relation': cycles, 'key': 'lead_id',
         'columns': ['mql_entry_id', 'mql_at', 'mql_month', 'is_first_mql', 'previous_mql_at']},
        {'relation': touches, 'key': 'lead_id',
         'columns': ['touch_type', 'touch_id', 'touched_at', 'campaign_id', 'channel']},
    ]) }}
{%- endmacro %}

{#-
    The credit of the touches at positions 1..`position` together (0 at position 0), per model:
    what attributed_amount telescopes over, so the credited cents of an opportunity add up to its
    amount exactly (1 at the last position).
-#}
{% macro cumulative_credit(model, position, touches) -%}
    {%- if model == 'first_touch' -%}
        case when {{ position }} >= 1 then 1.0 else 0.0 end
    {%- elif model == 'last_touch' -%}
        case when {{ position }} >= {{ touches }} then 1.0 else 0.0 end
    {%- elif model == 'linear' -%}
        cast({{ position }} as {{ type_double() }}) / {{ touches }}
    {%- elif model == 'u_shape' -%}
        case
            when {{ position }} <= 0 then 0.0
            when {{ position }} >= {{ touches }} then 1.0
            when {{ touches }} = 2 then 0.5
            else 0.4 + 0.2 * ({{ position }} - 1) / ({{ touches }} - 2)
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error('cumulative_credit: unknown attribution model ' ~ model) }}
    {%- endif -%}
{%- endmacro %}

{#- The money credited to the touch at `position` under `model`: the cents of the cumulative
    credit through it minus those through the touch before, so no cent is lost or made up by
    rounding (33.33 + 33.33 + 33.34 of 100.00). -#}
{% macro attributed_amount(model, amount, position, touches) -%}
    {{ money(
        round_to(amount ~ ' * ' ~ cumulative_credit(model, position, touches), 2) ~ ' - '
        ~ round_to(amount ~ ' * ' ~ cumulative_credit(model, '(' ~ position ~ ' - 1)', touches), 2)
    ) }}
{%- endmacro %}

{#- Select-list items: the columns of the touches (CTE `touches`) credited to one conversion (a
    window per `conversion_key`), with the touch's 1-based position among them (ordered by time,
    then touch type and id) and their number (`touch_count_column`), which attribution_credits
    reads. -#}
{% macro ranked_touches(touches, conversion_key, touch_count_column) -%}
        {{ touches }}.touch_type,
        {{ touches }}.touch_id,
        {{ touches }}.touched_at,
        {{ touches }}.campaign_id,
        {{ touches }}.channel,
        row_number() over (
            partition by {{ conversion_key }}
            order by {{ touches }}.touched_at, {{ touches }}.touch_type, {{ touches }}.touch_id
        ) as touch_position,
        count(*) over (partition by {{ conversion_key }}) as {{ touch_count_column }}
{%- endmacro %}
