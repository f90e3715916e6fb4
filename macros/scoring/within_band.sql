{#-
    within_band(value, band): a join condition, true when `value` falls in the band row `band` (an
    alias of seed scoring_thresholds: a fit grade or a score band): the lower bound included, the
    upper bound excluded, a null bound open. Bands of one threshold_type do not overlap, so a
    value matches at most one.
-#}
{% macro within_band(value, band) -%}
    ({{ band }}.lower_bound is null or {{ value }} >= {{ band }}.lower_bound)
            and ({{ band }}.upper_bound is null or {{ value }} < {{ band }}.upper_bound)
{%- endmacro %}
