{#-
    A job title as words for seniority matching (seed title_seniority_patterns): lower-cased,
    the punctuation , . & / - ( ) replaced by spaces. Callers pad it with spaces and match
    patterns as whole words: ' ' || words || ' ' like '% ' || pattern || ' %'.
-#}
{% macro scoring_title_words(column) -%}
    {%- set words = namespace(expression='lower(' ~ column ~ ')') -%}
    {%- for character in [',', '.', '&', '/', '-', '(', ')'] -%}
        {%- set words.expression = 'replace(' ~ words.expression ~ ", '" ~ character ~ "', ' ')" -%}
    {%- endfor -%}
    {{ words.expression }}
{%- endmacro %}
