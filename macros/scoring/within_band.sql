{#-
    within_band(value, band, threshold_type=none): a join condition, true when `value` falls in the
    band row `band` (an alias of seed scoring_thresholds: a fit grade or a score band): the lower
    bound included, the upper bound excluded, a null bound open; with `threshold_type`, only the
    rows of that type (for a join to the whole seed). Bands of one threshold_type do not overlap,
    so a value matches at most one.
-#}
{% macro within_band(value, band, threshold_type=none) -%}
    {%- if threshold_type -%}
        {{ band }}.threshold_type = '{{ threshold_type }}'
            and {% endif -%}
    ({{ band }}.lower_bound is null or {{ value }} >= {{ band }}.lower_bound)
            and ({{ band }}.upper_bound is null or {{ value }} < {{ band }}.upper_bound)
{%- endmacro %}
