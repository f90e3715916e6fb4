{#-
    A stable pseudonymous key for a person: a keyed SHA-256 of the id, as hex text.

        {{ pseudonymous_key('lead_id') }} as lead_key

    The key comes from the env var LEAD_FUNNEL_PII_KEY; without it, the documented demo default
    below is used (not a secret: set your own key in production, see docs/pii_policy.md). The
    same key and id always give the same lead_key, so marts join on it across builds; without
    the key the hash cannot be recomputed from a guessed id. A null id gives a null key.
    Dispatched, as SQL has no standard hash function: the default is sha2(.., 256) (Spark,
    Databricks, Snowflake, Redshift); DuckDB spells it sha256(); Postgres hashes bytes
    (sha256(bytea), hex-encoded); BigQuery returns bytes (to_hex). All give the same lower-case hex.
-#}
{% macro pii_key() -%}
    {{ return(dbt.escape_single_quotes(env_var('LEAD_FUNNEL_PII_KEY', 'lead-funnel-demo-key-not-secret'))) }}
{%- endmacro %}

{% macro pseudonymous_key(column) -%}
    {{ return(adapter.dispatch('pseudonymous_key', 'lead_funnel')(column)) }}
{%- endmacro %}

{% macro default__pseudonymous_key(column) -%}
    sha2({{ pseudonymous_key_input(column) }}, 256)
{%- endmacro %}

{% macro pseudonymous_key_input(column) -%}
    {{ dbt.concat(["'" ~ pii_key() ~ "|'", "cast(" ~ column ~ " as " ~ dbt.type_string() ~ ")"]) }}
{%- endmacro %}

{% macro postgres__pseudonymous_key(column) -%}
    encode(sha256(convert_to({{ pseudonymous_key_input(column) }}, 'UTF8')), 'hex')
{%- endmacro %}

{% macro bigquery__pseudonymous_key(column) -%}
    to_hex(sha256({{ pseudonymous_key_input(column) }}))
{%- endmacro %}

{% macro duckdb__pseudonymous_key(column) -%}
    sha256({{ pseudonymous_key_input(column) }})
{%- endmacro %}
