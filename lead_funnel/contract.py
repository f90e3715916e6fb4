"""The raw-data contract: every raw table lead_funnel reads, as code.

This module is the single source of truth for the *shape* of the raw layer: tables, columns,
logical types, keys, foreign keys, and what is *required* versus *optional*. Business
vocabularies (lead sources, industries, countries, currencies, stages...) are not here: they
live in seeds (``seeds/vocabularies/`` and the stage mappings), and a column only names the
vocabulary that maps its values (:data:`VOCABULARIES`).

Rendered from it (``lead-funnel contract-docs``; a test fails on drift): the dbt sources
(``_<source>__sources.yml``), ``docs/raw_data_contract.md`` and the macro ``raw_contract()``
that the staging macros read, so the clean and quarantine models never repeat a column list.

Required versus optional:

* A **required table** is one a family of marts cannot do without (``crm.leads`` and
  ``crm.lead_status_changes`` for the lead funnel, ``crm.opportunities`` for the sales KPIs).
  Every other table is **optional**. Any table may be absent from a delivery or empty: the marts
  that depend on it build with zero rows or null measures, and ``lead-funnel validate`` says
  which ("not provided: these marts will be empty: ...").
* A **required column** is a key, a reference the row is meaningless without, or a timestamp that
  places the row in time. A row with a null required column is quarantined with its reason.
* An **optional column** may be absent from the file or null: staging fills it with a typed
  null. ``loaded_at`` is optional: when a file has none, staging uses the file's modification
  time (and validate says so).
* A foreign key to a table that was not delivered is not checked (the row is not an orphan).

Types are logical: ``string``, ``int64``, ``float64``, ``bool``, ``timestamp`` (an instant;
Parquet ``timestamp[us, tz=UTC]``, CSV ISO-8601 with or without an offset, naive values are read
as UTC) and ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LogicalType = Literal["string", "int64", "float64", "bool", "timestamp", "date"]
Source = Literal["crm", "marketing"]
# How staging cleans a text value: trimmed (empty -> null), then optionally lower-cased, or
# normalised as an email address (trimmed, lower-cased).
Clean = Literal["trim", "lower", "email"]


@dataclass(frozen=True)
class Vocabulary:
    """A value set that is a business definition, mapped by a seed.

    Staging matches a raw value against ``seed.match_column`` case-insensitively after trimming;
    the mapped value is ``seed.value_column``. A raw value no seed row maps becomes ``'unmapped'``
    (the raw value is kept in the ``*_raw`` column); a null stays null.
    """

    name: str
    seed: str
    match_column: str
    value_column: str
    description: str
    # Rows of the seed that apply: those of the configured CRM (var crm_source_system) ...
    per_crm: bool = False
    # ... or those of one vocabulary of the shared seed value_mappings.
    vocabulary_filter: str | None = None
    # Other seed columns a stub row needs (lead-funnel mapping): name -> hint.
    extra_columns: tuple[tuple[str, str], ...] = ()


def _shared(name: str, description: str) -> Vocabulary:
    return Vocabulary(name, "value_mappings", "source_value", "value", description, vocabulary_filter=name)


VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v
    for v in (
        Vocabulary(
            "lead_source_channel",
            "lead_source_channels",
            "lead_source",
            "channel",
            "CRM lead source (any wording) -> canonical acquisition channel.",
        ),
        Vocabulary(
            "lead_stage",
            "stage_mapping",
            "source_value",
            "canonical_stage",
            "CRM lead status / lifecycle stage names -> canonical stage (seeds/canonical_stages.csv).",
            per_crm=True,
            extra_columns=(("note", "free text"),),
        ),
        Vocabulary(
            "opportunity_stage",
            "opportunity_stage_mapping",
            "source_value",
            "stage_category",
            "CRM opportunity / deal stage names -> open, won or lost (with the stage's order).",
            per_crm=True,
            extra_columns=(("stage_order", "1, 2, 3... along the sales process"), ("note", "free text")),
        ),
        Vocabulary(
            "industry",
            "industries",
            "source_value",
            "industry",
            "Industry names as exported -> canonical industry.",
        ),
        Vocabulary(
            "country",
            "countries",
            "source_value",
            "country_code",
            "ISO 3166-1 alpha-2 codes and English names -> alpha-2 code.",
            extra_columns=(("country_name", "English short name"),),
        ),
        Vocabulary(
            "currency",
            "currencies",
            "source_value",
            "currency_code",
            "ISO 4217 codes (and common names) -> ISO 4217 code.",
            extra_columns=(("currency_name", "English name"),),
        ),
        _shared("channel", "Channel names (campaigns, ad spend) -> canonical channel."),
        _shared("user_role", "CRM user roles -> sdr, ae, manager."),
        _shared("activity_type", "Sales activity kinds -> call, email, meeting."),
        _shared("page_category", "Website page categories -> canonical page category."),
        _shared("email_event_type", "Email platform event kinds -> send, deliver, open, click, ..."),
        _shared("form_type", "Web form kinds -> newsletter, content_download, demo_request, ..."),
        _shared("funnel_stage", "Content funnel stage -> tofu, mofu, bofu."),
        _shared("campaign_type", "Campaign types -> canonical campaign type."),
        _shared(
            "campaign_member_status", "Campaign member statuses -> sent, registered, attended, responded."
        ),
    )
}


@dataclass(frozen=True)
class Column:
    """One raw column: name, logical type, meaning, and how staging names and cleans it.

    ``staged_as`` is its staging name (default: the raw name). A column with a ``vocabulary``
    is staged twice: as given (trimmed) under ``staged_as`` (default ``<mapped_as>_raw``) and
    mapped through the vocabulary's seed under ``mapped_as``.
    """

    name: str
    type: LogicalType
    description: str
    required: bool = False
    staged_as: str | None = None
    clean: Clean | None = None
    vocabulary: str | None = None
    mapped_as: str | None = None
    # What staging reads when the value is missing: a SQL literal, or "var:<name>" for a dbt var.
    default: str | None = None
    # Dates that may lie after the load (plans, expected close dates): not checked against it.
    future_ok: bool = False
    # An amount of money: validated and quarantined as a double (finite, within bounds), staged
    # as the exact money type (macro type_money, DECIMAL(18,2)) so sums are exact and repeatable.
    money: bool = False

    @property
    def nullable(self) -> bool:
        """Optional columns may be null (or absent from the file)."""
        return not self.required

    @property
    def staged_name(self) -> str:
        if self.staged_as:
            return self.staged_as
        if self.vocabulary:
            return f"{self.mapped_name}_raw"
        return self.name

    @property
    def mapped_name(self) -> str:
        return self.mapped_as or self.name

    @property
    def staged_names(self) -> tuple[str, ...]:
        """The staging columns this raw column becomes."""
        return (self.staged_name, self.mapped_name) if self.vocabulary else (self.staged_name,)


@dataclass(frozen=True)
class Table:
    """One raw table as it lands in the raw folder (``<name>.parquet`` or ``.csv``)."""

    name: str
    source: Source
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: dict[str, str] = field(default_factory=dict)
    # Required tables: the marts a family of KPIs cannot do without (named in `needed_for`).
    required: bool = False
    # The marts that are empty (or have null measures) when the table is not delivered.
    feeds: tuple[str, ...] = ()
    needed_for: str = ""
    # Staging columns the base model derives from others: (name, description).
    derived: tuple[tuple[str, str], ...] = ()
    # The instant a row comes into existence (the first non-null of these columns): with var
    # kpi_as_of set, staging keeps only the rows that existed (and were loaded) by then. None for
    # the lookup tables (accounts, users, campaigns): their rows describe what other rows point
    # at through current-state fields (a deal's owner today may be a rep hired after the as-of),
    # so a point-in-time build keeps them all.
    as_of_columns: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def is_event_table(self) -> bool:
        """Event tables carry ``loaded_at``: the same event id may arrive in several loads."""
        return "loaded_at" in self.column_names

    @property
    def staged_extra_columns(self) -> tuple[tuple[str, str], ...]:
        """Columns staging adds that no raw column maps to: (name, description)."""
        if not self.is_event_table:
            return ()
        return (
            (
                "first_loaded_at",
                "Load time of the first delivered copy of the event (loaded_at is the latest copy's): "
                "row_reconciliation counts re-delivered copies from it.",
            ),
        )

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    def staged_key(self) -> list[str]:
        return [self.column(k).staged_name for k in self.key]


def _loaded_at() -> Column:
    return Column(
        "loaded_at",
        "timestamp",
        "When the extract that carried this row landed. Event tables may carry the same event id in "
        "several loads; staging keeps the latest loaded copy. Optional: without it, the file's "
        "modification time.",
    )


def _id(name: str, description: str, required: bool = True, staged_as: str | None = None) -> Column:
    return Column(name, "string", description, required=required, staged_as=staged_as, clean="trim")


def _text(name: str, description: str, clean: Clean = "trim", staged_as: str | None = None) -> Column:
    return Column(name, "string", description, clean=clean, staged_as=staged_as)


def _vocab(
    name: str, description: str, vocabulary: str, mapped_as: str | None = None, **kw: object
) -> Column:
    return Column(name, "string", description, vocabulary=vocabulary, mapped_as=mapped_as, **kw)  # type: ignore[arg-type]


LIFECYCLE_MARTS = (
    "fct_lead_stage_transitions",
    "fct_lead_stage_intervals",
    "fct_funnel_daily_inventory",
    "dim_leads",
    "fct_funnel_monthly",
    "fct_mql_cohorts",
    "fct_mql_velocity",
    "fct_speed_to_lead",
    "fct_stale_mqls_daily",
    "fct_lead_score_snapshots",
)
OPPORTUNITY_MARTS = ("fct_opportunities", "fct_opportunity_kpis_monthly", "won columns of fct_funnel_monthly")
ENGAGEMENT_MARTS = (
    "fct_lead_score_ledger (engagement awards)",
    "fct_mql_touch_attribution",
    "fct_mql_attribution",
)

TABLES: tuple[Table, ...] = (
    Table(
        name="accounts",
        source="crm",
        description="Companies (CRM accounts). One row per account.",
        key=("account_id",),
        feeds=("account attributes of dim_leads and fct_opportunities (segment)", "fit scoring"),
        columns=(
            _id("account_id", "CRM account id."),
            _text("account_name", "Company name."),
            _vocab("industry", "Industry of the company.", "industry"),
            Column("employee_count", "int64", "Number of employees (>= 1)."),
            Column("annual_revenue", "float64", "Annual revenue in USD (>= 0)."),
            _vocab(
                "country", "Country: ISO 3166-1 alpha-2 code or name.", "country", mapped_as="country_code"
            ),
            Column("is_target_account", "bool", "Named target account (ABM list)."),
            Column("created_at", "timestamp", "When the account was created in the CRM."),
            Column("updated_at", "timestamp", "Last modification in the CRM."),
        ),
    ),
    Table(
        name="users",
        source="crm",
        description="CRM users: sales reps and their managers. One row per user.",
        key=("user_id",),
        feeds=("owner team and role in dim_leads and fct_speed_to_lead",),
        columns=(
            _id("user_id", "CRM user id."),
            _text("full_name", "Rep name (personal data; stays in staging)."),
            _text("email", "Rep work email (personal data; stays in staging).", clean="email"),
            _vocab("role", "Sales role.", "user_role", mapped_as="user_role"),
            _text("team", "Sales team name, e.g. 'emea', 'na', 'apac'.", clean="lower"),
            Column("is_active", "bool", "Whether the user can still log in."),
            Column("created_at", "timestamp", "When the user was created."),
        ),
    ),
    Table(
        name="leads",
        as_of_columns=("created_at",),
        source="crm",
        description=(
            "People known to the CRM: one row per person record, current state only. "
            "Merged duplicates keep their row with merged_into_lead_id set; deleted "
            "records keep their row with is_deleted = true."
        ),
        key=("lead_id",),
        foreign_keys={"account_id": "accounts.account_id", "owner_id": "users.user_id"},
        required=True,
        needed_for="the lead funnel",
        feeds=LIFECYCLE_MARTS,
        derived=(("email_domain", "Domain of the cleaned email (after the @); null without an email."),),
        columns=(
            _id("lead_id", "CRM lead id."),
            _text("email", "Email address as typed (any case, may have spaces).", clean="email"),
            _text("first_name", "First name."),
            _text("last_name", "Last name."),
            _text("phone", "Phone number as typed."),
            _text("title", "Job title as typed."),
            _id("account_id", "Account the person works for.", required=False),
            _id("owner_id", "Assigned sales rep (users.user_id).", required=False),
            _vocab(
                "lead_source",
                "Original lead source as recorded by the CRM, in its own words.",
                "lead_source_channel",
                mapped_as="lead_source_channel",
                staged_as="lead_source",
            ),
            _vocab(
                "status",
                "Current lifecycle status, in the source system's own vocabulary.",
                "lead_stage",
                mapped_as="status_stage",
                staged_as="source_status",
            ),
            Column("created_at", "timestamp", "When the lead record was created.", required=True),
            Column("updated_at", "timestamp", "Last modification of the lead record."),
            Column("is_deleted", "bool", "Soft-deleted in the CRM (missing = false).", default="false"),
            _id(
                "merged_into_lead_id",
                "Set when this record was merged into another lead (the survivor).",
                required=False,
            ),
        ),
    ),
    Table(
        name="lead_status_changes",
        as_of_columns=("changed_at",),
        source="crm",
        description=(
            "Field history of the lead status: one row per change. Values are the source "
            "system's own status names (mapped by the stage_mapping seed)."
        ),
        key=("change_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        required=True,
        needed_for="the lead funnel (without it, the lifecycle falls back on snapshots of leads.status)",
        feeds=LIFECYCLE_MARTS,
        columns=(
            _id("change_id", "Id of the history row.", staged_as="status_change_id"),
            _id("lead_id", "Lead whose status changed."),
            _vocab(
                "old_value",
                "Status before the change (null for the first value).",
                "lead_stage",
                mapped_as="old_stage",
                staged_as="old_source_status",
            ),
            _vocab(
                "new_value",
                "Status after the change.",
                "lead_stage",
                mapped_as="new_stage",
                staged_as="new_source_status",
                required=True,
            ),
            Column("changed_at", "timestamp", "When the change happened.", required=True),
            _id("changed_by", "users.user_id of the rep, or 'system' for automation.", required=False),
            _loaded_at(),
        ),
    ),
    Table(
        name="opportunities",
        as_of_columns=("created_at", "close_date"),
        source="crm",
        description="Sales opportunities (deals). One row per opportunity, current state.",
        key=("opportunity_id",),
        foreign_keys={
            "account_id": "accounts.account_id",
            "primary_lead_id": "leads.lead_id",
            "owner_id": "users.user_id",
        },
        required=True,
        needed_for="the sales KPIs",
        feeds=OPPORTUNITY_MARTS,
        derived=(
            ("is_closed", "Closed (won or lost): recorded_is_closed, else from the stage mapping."),
            ("is_won", "Closed won: recorded_is_won, else from the stage mapping (stage_category = 'won')."),
        ),
        columns=(
            _id("opportunity_id", "CRM opportunity id."),
            _id("account_id", "Account of the deal.", required=False),
            _id("primary_lead_id", "The lead the opportunity was converted from.", required=False),
            _id("owner_id", "Account executive owning the deal.", required=False),
            Column("amount", "float64", "Deal amount in the deal currency (>= 0).", money=True),
            _vocab(
                "currency",
                "ISO 4217 currency code (missing: var opportunity_default_currency).",
                "currency",
                mapped_as="currency_code",
                default="var:opportunity_default_currency",
            ),
            _vocab(
                "stage_name",
                "Current opportunity stage, in the CRM's own words.",
                "opportunity_stage",
                mapped_as="stage_category",
                staged_as="stage_name",
                required=True,
            ),
            Column(
                "created_at",
                "timestamp",
                "When the opportunity was created (optional: a deal without it counts by its close date).",
            ),
            Column("close_date", "date", "Expected (open) or actual (closed) close date.", future_ok=True),
            Column(
                "is_closed",
                "bool",
                "Deal is closed (won or lost), as the CRM recorded it.",
                staged_as="recorded_is_closed",
            ),
            Column(
                "is_won", "bool", "Deal is closed won, as the CRM recorded it.", staged_as="recorded_is_won"
            ),
            Column("updated_at", "timestamp", "Last modification."),
        ),
    ),
    Table(
        name="opportunity_stage_changes",
        as_of_columns=("changed_at",),
        source="crm",
        description="Field history of the opportunity stage: one row per change.",
        key=("change_id",),
        foreign_keys={"opportunity_id": "opportunities.opportunity_id"},
        feeds=("closed_at of fct_opportunities (without it: the close date)",),
        columns=(
            _id("change_id", "Id of the history row.", staged_as="stage_change_id"),
            _id("opportunity_id", "Opportunity whose stage changed."),
            _vocab(
                "old_stage",
                "Stage before (null for the first).",
                "opportunity_stage",
                mapped_as="old_stage_category",
                staged_as="old_stage_name",
            ),
            _vocab(
                "new_stage",
                "Stage after.",
                "opportunity_stage",
                mapped_as="new_stage_category",
                staged_as="new_stage_name",
                required=True,
            ),
            Column("changed_at", "timestamp", "When the change happened.", required=True),
            _loaded_at(),
        ),
    ),
    Table(
        name="activities",
        as_of_columns=("occurred_at",),
        source="crm",
        description="Sales touches logged in the CRM: calls, emails, meetings. One row per touch.",
        key=("activity_id",),
        foreign_keys={"lead_id": "leads.lead_id", "user_id": "users.user_id"},
        feeds=("fct_speed_to_lead (response times)", "fct_stale_mqls_daily (untouched MQLs)"),
        columns=(
            _id("activity_id", "CRM activity id."),
            _id("lead_id", "Lead that was touched."),
            _id("user_id", "Rep who made the touch.", required=False),
            _vocab("activity_type", "Kind of touch.", "activity_type"),
            Column("occurred_at", "timestamp", "When the touch happened.", required=True),
            _loaded_at(),
        ),
    ),
    Table(
        name="web_events",
        as_of_columns=("occurred_at",),
        source="marketing",
        description="Page views from the website tracker. One row per page view.",
        key=("event_id",),
        feeds=("visitor stage entries", "web sessions and page-view scoring", "web touches of attribution"),
        columns=(
            _id("event_id", "Tracker event id.", staged_as="web_event_id"),
            _id("anonymous_id", "Cookie id of the browser."),
            _id(
                "session_id", "Tracker session id (missing: one session per browser and day).", required=False
            ),
            Column("occurred_at", "timestamp", "When the page was viewed.", required=True),
            _text("url", "Page URL.", staged_as="page_url"),
            _vocab("page_category", "Category of the page.", "page_category"),
            _text("utm_source", "utm_source of the session landing.", clean="lower"),
            _text("utm_medium", "utm_medium of the session landing.", clean="lower"),
            _text("utm_campaign", "utm_campaign (campaigns.campaign_id) of the landing."),
            _loaded_at(),
        ),
    ),
    Table(
        name="identities",
        as_of_columns=("identified_at",),
        source="marketing",
        description="Identity stitching: a browser identified as a lead; one row per anonymous id.",
        key=("anonymous_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        feeds=("visitor stage entries", "page-view scoring and web touches of identified leads"),
        columns=(
            _id("anonymous_id", "Cookie id of the browser."),
            _id("lead_id", "Lead the browser belongs to."),
            Column(
                "identified_at",
                "timestamp",
                "When the browser was identified (first form fill, email click).",
                required=True,
            ),
        ),
    ),
    Table(
        name="email_events",
        as_of_columns=("occurred_at",),
        source="marketing",
        description="Marketing email events. One row per event on one email to one lead.",
        key=("event_id",),
        foreign_keys={"lead_id": "leads.lead_id", "campaign_id": "campaigns.campaign_id"},
        feeds=("fct_email_engagement_monthly", "email scoring", "email touches of attribution"),
        columns=(
            _id("event_id", "Email platform event id.", staged_as="email_event_id"),
            _id("campaign_id", "Email campaign.", required=False),
            _id(
                "message_id",
                "One email to one lead; its events share this id (missing: the event id).",
                False,
            ),
            _id("lead_id", "Recipient lead."),
            _vocab("event_type", "Event kind.", "email_event_type", required=True),
            Column("occurred_at", "timestamp", "When the event happened.", required=True),
            _loaded_at(),
        ),
    ),
    Table(
        name="form_submissions",
        as_of_columns=("submitted_at",),
        source="marketing",
        description="Web form fills. One row per submission.",
        key=("submission_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        feeds=("hand-raise MQL evidence", "form scoring", "form touches of attribution"),
        columns=(
            _id("submission_id", "Form platform submission id.", staged_as="form_submission_id"),
            _id("lead_id", "Lead created or matched by the submission."),
            _id("anonymous_id", "Cookie id of the browser that submitted.", required=False),
            _text("email", "Email typed into the form (personal data).", clean="email"),
            _vocab("form_type", "Kind of form.", "form_type"),
            _text("asset_name", "Content asset or event offered by the form."),
            _vocab(
                "asset_funnel_stage",
                "Funnel stage of the asset: top, middle or bottom of funnel.",
                "funnel_stage",
            ),
            Column("submitted_at", "timestamp", "When the form was submitted.", required=True),
            _text("utm_source", "utm_source of the visit.", clean="lower"),
            _text("utm_medium", "utm_medium of the visit.", clean="lower"),
            _text("utm_campaign", "utm_campaign (campaigns.campaign_id) of the visit."),
            _loaded_at(),
        ),
    ),
    Table(
        name="campaigns",
        source="marketing",
        description="Marketing campaigns. One row per campaign.",
        key=("campaign_id",),
        feeds=("campaign channel of touches", "fct_channel_costs (campaign grain)"),
        columns=(
            _id("campaign_id", "Campaign id (also used as utm_campaign)."),
            _text("campaign_name", "Campaign name."),
            _vocab("channel", "Canonical channel of the campaign.", "channel"),
            _vocab("campaign_type", "Campaign type.", "campaign_type"),
            Column("start_date", "date", "First day the campaign runs.", future_ok=True),
            Column("end_date", "date", "Last day the campaign runs (null while open-ended).", future_ok=True),
        ),
    ),
    Table(
        name="campaign_members",
        as_of_columns=("created_at",),
        source="marketing",
        description="Leads that are members of a campaign. One row per lead and campaign.",
        key=("campaign_member_id",),
        foreign_keys={"lead_id": "leads.lead_id", "campaign_id": "campaigns.campaign_id"},
        feeds=("campaign touches of attribution", "webinar / event scoring"),
        columns=(
            _id("campaign_member_id", "Membership id."),
            _id("campaign_id", "Campaign."),
            _id("lead_id", "Member lead."),
            _vocab("status", "Member status.", "campaign_member_status", mapped_as="member_status"),
            Column("created_at", "timestamp", "When the lead was added to the campaign.", required=True),
            Column("first_responded_at", "timestamp", "First response (null if none)."),
        ),
    ),
    Table(
        name="ad_spend",
        as_of_columns=("spend_date",),
        source="marketing",
        description="Daily advertising spend. One row per day and campaign.",
        key=("spend_date", "campaign_id"),
        foreign_keys={"campaign_id": "campaigns.campaign_id"},
        feeds=("fct_channel_costs (spend, cost per MQL / SQL / won, ROI)",),
        columns=(
            Column("spend_date", "date", "Day of the spend (UTC).", required=True),
            _id("campaign_id", "Campaign that spent."),
            _vocab("channel", "Canonical channel of the spend (missing: the campaign's).", "channel"),
            Column("spend", "float64", "Spend in USD (>= 0).", required=True, money=True),
            Column("impressions", "int64", "Ad impressions (>= 0)."),
            Column("clicks", "int64", "Ad clicks (>= 0)."),
        ),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """Return the contract of one raw table."""
    return TABLES_BY_NAME[name]


def children_of(name: str) -> list[tuple[Table, str]]:
    """The tables (and their foreign-key column) that reference ``name``."""
    return [
        (t, column)
        for t in TABLES
        for column, target in t.foreign_keys.items()
        if target.split(".")[0] == name
    ]
