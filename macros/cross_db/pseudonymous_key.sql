{#-
    A stable pseudonymous key for a person: a keyed SHA-256 of the id, as hex text.

        {{ pseudonymous_key('lead_id') }} as lead_key

    The key comes from the env var LEAD_FUNNEL_PII_KEY; without it, the documented demo default
    below is used (not a secret: set your own key in production, see docs/pii_policy.md). The
    same key and id always give the same lead_key, so marts join on it across builds; without
    the key the hash cannot be recomputed from a guessed id. A null id gives a null key.
    Dispatched: DuckDB spells the hash sha256(); other adapters sha2(.., 256).
-#}
{% macro pii_key() -%}
    {{ return(env_var('LEAD_FUNNEL_PII_KEY', 'lead-funnel-demo-key-not-secret') | replace("'", "''")) }}
{%- endmacro %}

{% macro pseudonymous_key(column) -%}
    {{ return(adapter.dispatch('pseudonymous_key', 'lead_funnel')(column)) }}
{%- endmacro %}

{% macro default__pseudonymous_key(column) -%}
    sha2({{ dbt.concat(["'" ~ pii_key() ~ "|'", "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")"]) }}, 256)
{%- endmacro %}

{% macro duckdb__pseudonymous_key(column) -%}
    sha256({{ dbt.concat(["'" ~ pii_key() ~ "|'", "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")"]) }})
{%- endmacro %}
