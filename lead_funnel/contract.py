"""The raw-data contract: every raw table lead_funnel reads, as code.

This module is the single source of truth for the raw layer. The data generator
writes exactly these columns and types, the staging sources (``_<source>__sources.yml``)
mirror them (a test keeps both in sync), ``docs/raw_data_contract.md`` is rendered
from it (``lead-funnel contract-docs``), and the expectation suites read the keys
and allowed values from it.

Types are logical: ``string``, ``int64``, ``float64``, ``bool``, ``timestamp``
(an instant; Parquet ``timestamp[us, tz=UTC]``, CSV ISO-8601 with or without an
offset, naive values are read as UTC) and ``date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LogicalType = Literal["string", "int64", "float64", "bool", "timestamp", "date"]
Source = Literal["crm", "marketing"]

INDUSTRIES = (
    "software",
    "financial_services",
    "healthcare",
    "manufacturing",
    "retail",
    "education",
    "professional_services",
    "media",
    "public_sector",
    "other",
)
COUNTRIES = ("US", "GB", "DE", "FR", "NL", "CA", "AU", "IN", "BR", "JP")
USER_ROLES = ("sdr", "ae", "manager")
LEAD_SOURCES = (
    "Google Ads",
    "LinkedIn Ads",
    "Display",
    "Organic Search",
    "Email",
    "Webinar",
    "Trade Show",
    "Referral",
    "Partner",
    "Direct",
    "Content Syndication",
)
OPPORTUNITY_STAGES = (
    "Prospecting",
    "Discovery",
    "Proposal",
    "Negotiation",
    "Closed Won",
    "Closed Lost",
)
ACTIVITY_TYPES = ("call", "email", "meeting")
PAGE_CATEGORIES = (
    "home",
    "pricing",
    "product",
    "blog",
    "docs",
    "careers",
    "contact",
    "case_study",
    "other",
)
EMAIL_EVENT_TYPES = ("send", "deliver", "open", "click", "bounce", "unsubscribe", "spam")
FORM_TYPES = (
    "newsletter",
    "content_download",
    "webinar_registration",
    "demo_request",
    "contact_sales",
    "free_trial",
)
FUNNEL_STAGES = ("tofu", "mofu", "bofu")
CAMPAIGN_TYPES = (
    "paid_search",
    "paid_social",
    "display",
    "email",
    "webinar",
    "event",
    "content_syndication",
    "organic",
    "partner",
)
CAMPAIGN_MEMBER_STATUSES = ("sent", "registered", "attended", "responded")
CHANNELS = (
    "paid_search",
    "paid_social",
    "display",
    "organic_search",
    "email",
    "webinar",
    "events",
    "referral",
    "partner",
    "direct",
    "content_syndication",
)
CURRENCIES = ("USD", "EUR", "GBP")


@dataclass(frozen=True)
class Column:
    """One raw column: its name, logical type, nullability and meaning."""

    name: str
    type: LogicalType
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Table:
    """One raw table as it lands in the raw folder (``<name>.parquet`` or ``.csv``)."""

    name: str
    source: Source
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    foreign_keys: dict[str, str] = field(default_factory=dict)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")


def _loaded_at() -> Column:
    return Column(
        "loaded_at",
        "timestamp",
        "When the extract that carried this row landed. Event tables may carry the same "
        "event id in several loads; staging keeps the latest loaded copy.",
    )


TABLES: tuple[Table, ...] = (
    Table(
        name="accounts",
        source="crm",
        description="Companies (CRM accounts). One row per account.",
        key=("account_id",),
        columns=(
            Column("account_id", "string", "CRM account id."),
            Column("account_name", "string", "Company name."),
            Column("industry", "string", "Industry of the company.", allowed=INDUSTRIES),
            Column("employee_count", "int64", "Number of employees (>= 1).", nullable=True),
            Column("annual_revenue", "float64", "Annual revenue in USD (>= 0).", nullable=True),
            Column("country", "string", "ISO 3166-1 alpha-2 country code.", allowed=COUNTRIES),
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
        columns=(
            Column("user_id", "string", "CRM user id."),
            Column("full_name", "string", "Rep name (personal data; stays in staging)."),
            Column("email", "string", "Rep work email (personal data; stays in staging)."),
            Column("role", "string", "Sales role.", allowed=USER_ROLES),
            Column("team", "string", "Sales team name, e.g. 'emea', 'na', 'apac'."),
            Column("is_active", "bool", "Whether the user can still log in."),
            Column("created_at", "timestamp", "When the user was created."),
        ),
    ),
    Table(
        name="leads",
        source="crm",
        description=(
            "People known to the CRM: one row per person record, current state only. "
            "Merged duplicates keep their row with merged_into_lead_id set; deleted "
            "records keep their row with is_deleted = true."
        ),
        key=("lead_id",),
        foreign_keys={"account_id": "accounts.account_id", "owner_id": "users.user_id"},
        columns=(
            Column("lead_id", "string", "CRM lead id."),
            Column("email", "string", "Email address as typed (any case, may have spaces)."),
            Column("first_name", "string", "First name.", nullable=True),
            Column("last_name", "string", "Last name.", nullable=True),
            Column("phone", "string", "Phone number as typed.", nullable=True),
            Column("title", "string", "Job title as typed.", nullable=True),
            Column("account_id", "string", "Account the person works for.", nullable=True),
            Column("owner_id", "string", "Assigned sales rep (users.user_id).", nullable=True),
            Column(
                "lead_source", "string", "Original lead source as recorded by the CRM.", allowed=LEAD_SOURCES
            ),
            Column("status", "string", "Current lifecycle status, in the source system's own vocabulary."),
            Column("created_at", "timestamp", "When the lead record was created."),
            Column("updated_at", "timestamp", "Last modification of the lead record."),
            Column("is_deleted", "bool", "Soft-deleted in the CRM."),
            Column(
                "merged_into_lead_id",
                "string",
                "Set when this record was merged into another lead (the survivor).",
                nullable=True,
            ),
        ),
    ),
    Table(
        name="lead_status_changes",
        source="crm",
        description=(
            "Field history of the lead status: one row per change. Values are the source "
            "system's own status names (mapped by the stage_mapping seed)."
        ),
        key=("change_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        columns=(
            Column("change_id", "string", "Id of the history row."),
            Column("lead_id", "string", "Lead whose status changed."),
            Column(
                "old_value", "string", "Status before the change (null for the first value).", nullable=True
            ),
            Column("new_value", "string", "Status after the change."),
            Column("changed_at", "timestamp", "When the change happened."),
            Column(
                "changed_by",
                "string",
                "users.user_id of the rep, or 'system' for automation.",
            ),
            _loaded_at(),
        ),
    ),
    Table(
        name="opportunities",
        source="crm",
        description="Sales opportunities (deals). One row per opportunity, current state.",
        key=("opportunity_id",),
        foreign_keys={
            "account_id": "accounts.account_id",
            "primary_lead_id": "leads.lead_id",
            "owner_id": "users.user_id",
        },
        columns=(
            Column("opportunity_id", "string", "CRM opportunity id."),
            Column("account_id", "string", "Account of the deal."),
            Column(
                "primary_lead_id", "string", "The lead the opportunity was converted from.", nullable=True
            ),
            Column("owner_id", "string", "Account executive owning the deal."),
            Column("amount", "float64", "Deal amount in the deal currency (>= 0).", nullable=True),
            Column("currency", "string", "ISO 4217 currency code.", allowed=CURRENCIES),
            Column("stage_name", "string", "Current opportunity stage.", allowed=OPPORTUNITY_STAGES),
            Column("created_at", "timestamp", "When the opportunity was created."),
            Column("close_date", "date", "Expected (open) or actual (closed) close date.", nullable=True),
            Column("is_closed", "bool", "Deal is closed (won or lost)."),
            Column("is_won", "bool", "Deal is closed won."),
            Column("updated_at", "timestamp", "Last modification."),
        ),
    ),
    Table(
        name="opportunity_stage_changes",
        source="crm",
        description="Field history of the opportunity stage: one row per change.",
        key=("change_id",),
        foreign_keys={"opportunity_id": "opportunities.opportunity_id"},
        columns=(
            Column("change_id", "string", "Id of the history row."),
            Column("opportunity_id", "string", "Opportunity whose stage changed."),
            Column(
                "old_stage",
                "string",
                "Stage before (null for the first).",
                nullable=True,
                allowed=OPPORTUNITY_STAGES,
            ),
            Column("new_stage", "string", "Stage after.", allowed=OPPORTUNITY_STAGES),
            Column("changed_at", "timestamp", "When the change happened."),
            _loaded_at(),
        ),
    ),
    Table(
        name="activities",
        source="crm",
        description="Sales touches logged in the CRM: calls, emails, meetings. One row per touch.",
        key=("activity_id",),
        foreign_keys={"lead_id": "leads.lead_id", "user_id": "users.user_id"},
        columns=(
            Column("activity_id", "string", "CRM activity id."),
            Column("lead_id", "string", "Lead that was touched."),
            Column("user_id", "string", "Rep who made the touch."),
            Column("activity_type", "string", "Kind of touch.", allowed=ACTIVITY_TYPES),
            Column("occurred_at", "timestamp", "When the touch happened."),
            _loaded_at(),
        ),
    ),
    Table(
        name="web_events",
        source="marketing",
        description="Page views from the website tracker. One row per page view.",
        key=("event_id",),
        columns=(
            Column("event_id", "string", "Tracker event id."),
            Column("anonymous_id", "string", "Cookie id of the browser."),
            Column("session_id", "string", "Tracker session id."),
            Column("occurred_at", "timestamp", "When the page was viewed."),
            Column("url", "string", "Page URL."),
            Column("page_category", "string", "Category of the page.", allowed=PAGE_CATEGORIES),
            Column("utm_source", "string", "utm_source of the session landing.", nullable=True),
            Column("utm_medium", "string", "utm_medium of the session landing.", nullable=True),
            Column(
                "utm_campaign",
                "string",
                "utm_campaign (campaigns.campaign_id) of the landing.",
                nullable=True,
            ),
            _loaded_at(),
        ),
    ),
    Table(
        name="identities",
        source="marketing",
        description="Identity stitching: a browser identified as a lead; one row per anonymous id.",
        key=("anonymous_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        columns=(
            Column("anonymous_id", "string", "Cookie id of the browser."),
            Column("lead_id", "string", "Lead the browser belongs to."),
            Column(
                "identified_at",
                "timestamp",
                "When the browser was identified (first form fill, email click).",
            ),
        ),
    ),
    Table(
        name="email_events",
        source="marketing",
        description="Marketing email events. One row per event on one email to one lead.",
        key=("event_id",),
        foreign_keys={"lead_id": "leads.lead_id", "campaign_id": "campaigns.campaign_id"},
        columns=(
            Column("event_id", "string", "Email platform event id."),
            Column("campaign_id", "string", "Email campaign."),
            Column("message_id", "string", "One email to one lead; its events share this id."),
            Column("lead_id", "string", "Recipient lead."),
            Column("event_type", "string", "Event kind.", allowed=EMAIL_EVENT_TYPES),
            Column("occurred_at", "timestamp", "When the event happened."),
            _loaded_at(),
        ),
    ),
    Table(
        name="form_submissions",
        source="marketing",
        description="Web form fills. One row per submission.",
        key=("submission_id",),
        foreign_keys={"lead_id": "leads.lead_id"},
        columns=(
            Column("submission_id", "string", "Form platform submission id."),
            Column("lead_id", "string", "Lead created or matched by the submission."),
            Column("anonymous_id", "string", "Cookie id of the browser that submitted.", nullable=True),
            Column("email", "string", "Email typed into the form (personal data)."),
            Column("form_type", "string", "Kind of form.", allowed=FORM_TYPES),
            Column("asset_name", "string", "Content asset or event offered by the form.", nullable=True),
            Column(
                "asset_funnel_stage",
                "string",
                "Funnel stage of the asset: top, middle or bottom of funnel.",
                allowed=FUNNEL_STAGES,
            ),
            Column("submitted_at", "timestamp", "When the form was submitted."),
            Column("utm_source", "string", "utm_source of the visit.", nullable=True),
            Column("utm_medium", "string", "utm_medium of the visit.", nullable=True),
            Column(
                "utm_campaign", "string", "utm_campaign (campaigns.campaign_id) of the visit.", nullable=True
            ),
            _loaded_at(),
        ),
    ),
    Table(
        name="campaigns",
        source="marketing",
        description="Marketing campaigns. One row per campaign.",
        key=("campaign_id",),
        columns=(
            Column("campaign_id", "string", "Campaign id (also used as utm_campaign)."),
            Column("campaign_name", "string", "Campaign name."),
            Column("channel", "string", "Canonical channel of the campaign.", allowed=CHANNELS),
            Column("campaign_type", "string", "Campaign type.", allowed=CAMPAIGN_TYPES),
            Column("start_date", "date", "First day the campaign runs."),
            Column("end_date", "date", "Last day the campaign runs (null while open-ended).", nullable=True),
        ),
    ),
    Table(
        name="campaign_members",
        source="marketing",
        description="Leads that are members of a campaign. One row per lead and campaign.",
        key=("campaign_member_id",),
        foreign_keys={"lead_id": "leads.lead_id", "campaign_id": "campaigns.campaign_id"},
        columns=(
            Column("campaign_member_id", "string", "Membership id."),
            Column("campaign_id", "string", "Campaign."),
            Column("lead_id", "string", "Member lead."),
            Column("status", "string", "Member status.", allowed=CAMPAIGN_MEMBER_STATUSES),
            Column("created_at", "timestamp", "When the lead was added to the campaign."),
            Column("first_responded_at", "timestamp", "First response (null if none).", nullable=True),
        ),
    ),
    Table(
        name="ad_spend",
        source="marketing",
        description="Daily advertising spend. One row per day and campaign.",
        key=("spend_date", "campaign_id"),
        foreign_keys={"campaign_id": "campaigns.campaign_id"},
        columns=(
            Column("spend_date", "date", "Day of the spend (UTC)."),
            Column("campaign_id", "string", "Campaign that spent."),
            Column("channel", "string", "Canonical channel of the spend.", allowed=CHANNELS),
            Column("spend", "float64", "Spend in USD (>= 0)."),
            Column("impressions", "int64", "Ad impressions (>= 0)."),
            Column("clicks", "int64", "Ad clicks (>= 0)."),
        ),
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    """Return the contract of one raw table."""
    return TABLES_BY_NAME[name]
