{#-
    A 64-bit hash of a key, for grouping on a narrow value instead of a long string (used by
    keep_latest_loaded to find the keys that occur more than once). Only used where a collision
    is harmless: colliding keys merely take the slower exact path. Dispatched because every
    warehouse names it differently; the default is the key itself (no hashing).
-#}
{% macro key_hash(expression) -%}
    {{ return(adapter.dispatch('key_hash', 'lead_funnel')(expression)) }}
{%- endmacro %}

{#- key_hash of a key that may be null: null hashed as '' (no typed key is blank), so a null key
    has one hash on every warehouse (Postgres' hash of null is null). -#}
{% macro null_safe_key_hash(expression) -%}
    {{ key_hash('coalesce(' ~ expression ~ ", '')") }}
{%- endmacro %}

{% macro default__key_hash(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro duckdb__key_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{#- PostgreSQL 11+: the 64-bit extended hash of the text (the incremental fingerprints sum it). -#}
{% macro postgres__key_hash(expression) -%}
    hashtextextended(cast({{ expression }} as text), 0)
{%- endmacro %}

{% macro snowflake__key_hash(expression) -%}
    hash({{ expression }})
{%- endmacro %}

{% macro spark__key_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}

{% macro databricks__key_hash(expression) -%}
    xxhash64({{ expression }})
{%- endmacro %}

{% macro bigquery__key_hash(expression) -%}
    farm_fingerprint({{ expression }})
{%- endmacro %}
