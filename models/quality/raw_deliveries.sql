{#-
    What this build's delivery held: one row per contract table, whether its file was delivered,
    which contract columns it lacks (required ones quarantine every row; optional ones are null
    in staging), and, for a file without loaded_at, the file's load time staging used as every
    row's loaded_at (docs/raw_data_contract.md). Read when the model is compiled.
-#}
with

deliveries as (

    {{ raw_delivery_rows() }}

)

select * from deliveries
