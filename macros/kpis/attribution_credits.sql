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
