"""Fixed vocabularies of the generator: status names, channels, site map, names, titles, assets.

Everything here is data, not randomness: the synthetic CRM's and marketing platform's own
vocabulary. The values are kept consistent with the seeds that map them
(``seeds/vocabularies/``: stage mappings, lead source and utm channels, value mappings); the
tests check that every value written is mapped by a seed.
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------- stages
# Canonical stage codes used internally (the order is the lifecycle order).
LEAD, MQL, SAL, SQL, OPPORTUNITY, CUSTOMER, RECYCLED, DISQUALIFIED = range(8)
STAGE_NAMES = ("lead", "mql", "sal", "sql", "opportunity", "customer", "recycled", "disqualified")

# Status value written for each canonical stage, per CRM vocabulary (None: the vocabulary
# has no value for the stage and the change is not written).
CRM_STATUS_VALUES: dict[str, tuple[str | None, ...]] = {
    "salesforce": (
        "Open - Not Contacted",
        "Marketing Qualified",
        "Sales Accepted",
        "Sales Qualified",
        "Converted",
        None,
        "Nurture",
        "Disqualified",
    ),
    "hubspot": (
        "lead",
        "marketingqualifiedlead",
        None,
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "BAD_TIMING",
        "UNQUALIFIED",
    ),
    "marketo": ("Known", "MQL", "SAL", "SQL", "Opportunity", "Customer", "Recycled", "Disqualified"),
}
CRM_VOCABULARIES = tuple(CRM_STATUS_VALUES)

# ------------------------------------------------------------------------- channels
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
)  # channel codes are indexes into this tuple
CHANNEL_INDEX = {name: i for i, name in enumerate(CHANNELS)}


@dataclass(frozen=True)
class ChannelInfo:
    """How one canonical channel shows up in the raw data."""

    lead_source: str  # leads.lead_source (lead_source_channels.csv)
    utm_medium: str | None  # None: the channel carries no utm parameters (direct)
    utm_sources: tuple[str, ...]  # utm_source values (utm_channels.csv maps medium/source)
    campaign_type: str | None  # campaigns.campaign_type; None: the channel has no campaigns
    evergreen: bool  # one open-ended campaign instead of quarterly ones


CHANNEL_INFO: dict[str, ChannelInfo] = {
    "paid_search": ChannelInfo("Google Ads", "cpc", ("google", "bing"), "paid_search", False),
    "paid_social": ChannelInfo("LinkedIn Ads", "paid_social", ("linkedin", "facebook"), "paid_social", False),
    "display": ChannelInfo("Display", "display", ("gdn", "adroll"), "display", False),
    "organic_search": ChannelInfo("Organic Search", "organic", ("google", "bing"), "organic", True),
    "email": ChannelInfo("Email", "email", ("newsletter",), "email", False),
    "webinar": ChannelInfo("Webinar", "webinar", ("zoom", "on24"), "webinar", False),
    "events": ChannelInfo("Trade Show", "event", ("tradeshow",), "event", False),
    "referral": ChannelInfo("Referral", "referral", ("g2", "capterra", "customer"), "organic", True),
    "partner": ChannelInfo("Partner", "partner", ("partner_portal", "reseller"), "partner", False),
    "direct": ChannelInfo("Direct", None, (), None, False),
    "content_syndication": ChannelInfo(
        "Content Syndication", "syndication", ("techtarget", "integrate"), "content_syndication", False
    ),
}
NURTURE_UTM_SOURCE = "newsletter"  # utm_source of sessions started by a nurture email click

# All utm_source values, one index space for the whole generator.
UTM_SOURCES: tuple[str, ...] = tuple(
    dict.fromkeys(s for info in CHANNEL_INFO.values() for s in info.utm_sources)
)
UTM_SOURCE_INDEX = {s: i for i, s in enumerate(UTM_SOURCES)}
UTM_MEDIUMS: tuple[str, ...] = tuple(
    info.utm_medium for info in CHANNEL_INFO.values() if info.utm_medium is not None
)

# ------------------------------------------------------------------------- accounts
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
TEAMS = ("na", "emea", "apac")
USER_ROLES = ("sdr", "ae", "manager")  # role codes index this tuple
COUNTRY_TEAM = {
    "US": "na",
    "CA": "na",
    "BR": "na",
    "GB": "emea",
    "DE": "emea",
    "FR": "emea",
    "NL": "emea",
    "AU": "apac",
    "IN": "apac",
    "JP": "apac",
}
COUNTRY_PHONE_PREFIX = {
    "US": "+1",
    "CA": "+1",
    "BR": "+55",
    "GB": "+44",
    "DE": "+49",
    "FR": "+33",
    "NL": "+31",
    "AU": "+61",
    "IN": "+91",
    "JP": "+81",
}
COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Stark", "Wayne", "Wonka",
    "Tyrell", "Cyberdyne", "Aperture", "Massive", "Northwind", "Contoso", "Fabrikam", "Litware", "Adatum",
    "Tailspin", "Woodgrove", "Proseware", "Lucerne", "Fourth", "Blue", "Bright", "Cedar", "Summit",
    "Harbor", "Pioneer", "Quantum", "Vertex", "Nimbus", "Orbit", "Keystone", "Evergreen", "Sterling",
    "Atlas", "Beacon", "Cobalt",
)  # fmt: skip
COMPANY_SUFFIXES = (
    "Systems", "Labs", "Analytics", "Health", "Capital", "Bank", "Insurance", "Retail", "Logistics",
    "Media", "Foods", "Energy", "Robotics", "Software", "Partners", "Consulting", "Group", "Industries",
    "Networks", "Learning",
)  # fmt: skip
ACCOUNT_DOMAIN_SUFFIX = ".example.com"
NO_ACCOUNT_DOMAIN = "@mail.example.org"  # people without a company (students, freelancers)

# -------------------------------------------------------------------------- people
FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Paul", "Emily",
    "Steven", "Kimberly", "Andrew", "Michelle", "Kenneth", "Carol", "Joshua", "Amanda", "Kevin", "Melissa",
    "Aisha", "Hiroshi", "Priya", "Lukas", "Sofia", "Mateo", "Chloe", "Noah", "Ines", "Ravi",
    "Yuki", "Lars", "Fatima", "Omar", "Elena", "Jonas", "Camille", "Arjun", "Lucia", "Felix",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Dubois", "Lefevre", "Moreau", "Janssen",
    "De Vries", "Bakker", "Visser", "Tanaka", "Suzuki", "Ito", "Sato", "Kumar", "Sharma", "Patel", "Singh",
    "Silva", "Santos", "Oliveira", "Souza", "Costa", "Murphy", "Kelly", "O'Brien", "Walsh", "Byrne",
    "Evans", "Hughes", "Edwards", "Collins", "Stewart", "Morris", "Rogers", "Reed", "Cook", "Morgan",
    "Bell", "Cooper", "Ward", "Cox", "Howard", "Brooks", "Gray", "James", "Watson", "Wood",
)  # fmt: skip
N_NAME_COMBOS = len(FIRST_NAMES) * len(LAST_NAMES)  # 6,000 distinct people per account

SENIORITIES = ("c_level", "vp", "director", "manager", "individual_contributor", "student")
TITLES: dict[str, tuple[str, ...]] = {
    "c_level": ("CEO", "CFO", "CMO", "CTO", "COO", "Chief Revenue Officer", "Founder & CEO"),
    "vp": ("VP Marketing", "VP Sales", "VP Engineering", "VP Finance", "VP Operations",
           "Vice President, Demand Generation"),
    "director": ("Director of Marketing", "Marketing Operations Director", "Director, IT", "Head of Growth",
                 "Director of Sales Operations", "Head of Data"),
    "manager": ("Marketing Manager", "Demand Generation Manager", "IT Manager", "Sales Operations Manager",
                "Product Manager", "Finance Manager"),
    "individual_contributor": ("Marketing Specialist", "Software Engineer", "Data Analyst",
                               "Business Analyst", "Consultant", "Marketing Coordinator",
                               "Account Executive"),
    "student": ("Student", "MBA Candidate", "Intern", "PhD Student"),
}  # fmt: skip

# ------------------------------------------------------------------------ web site
SITE_HOST = "https://www.example.com"
PAGE_CATEGORIES = ("home", "pricing", "product", "blog", "docs", "careers", "contact", "case_study", "other")
_BLOG_SLUGS = (
    "what-is-an-mql", "lead-scoring-basics", "speed-to-lead", "funnel-metrics-that-matter",
    "attribution-101", "abm-playbook", "sdr-handoff", "nurture-email-tips", "b2b-benchmarks-2025",
    "marketing-ops-stack", "pipeline-velocity", "recycling-leads", "intent-data-explained",
    "webinar-best-practices", "content-syndication-guide", "utm-hygiene", "crm-data-quality",
    "forecasting-pipeline", "buyer-journey-stages", "demand-gen-vs-lead-gen",
)  # fmt: skip
_DOCS_SLUGS = (
    "getting-started", "api", "integrations/salesforce", "integrations/hubspot", "integrations/marketo",
    "data-model", "security", "sso", "webhooks", "faq",
)  # fmt: skip
_CASE_SLUGS = ("globex", "initech", "hooli", "northwind", "contoso", "fabrikam", "tailspin", "woodgrove")
_CAREER_SLUGS = (
    "",
    "/sdr-london",
    "/account-executive-new-york",
    "/data-engineer-berlin",
    "/marketing-intern",
)

# (asset_name, funnel stage, page path) of the content assets and webinars offered by forms.
CONTENT_ASSETS: tuple[tuple[str, str, str], ...] = (
    ("Ebook: The State of B2B Demand Gen", "tofu", "/resources/state-of-demand-gen"),
    ("Guide: Lead Scoring 101", "tofu", "/resources/lead-scoring-101"),
    ("Checklist: Marketing Ops Basics", "tofu", "/resources/marketing-ops-checklist"),
    ("Report: 2025 Funnel Benchmarks", "tofu", "/resources/funnel-benchmarks-2025"),
    ("Buyer's Guide: Lead Management Platforms", "mofu", "/resources/buyers-guide"),
    ("ROI Calculator", "mofu", "/resources/roi-calculator"),
    ("Whitepaper: Attribution Models Compared", "mofu", "/resources/attribution-whitepaper"),
    ("Case Study Pack", "mofu", "/resources/case-study-pack"),
)
WEBINAR_ASSETS: tuple[tuple[str, str, str], ...] = (
    ("Webinar: Fixing the MQL", "mofu", "/webinars/fixing-the-mql"),
    ("Webinar: Pipeline Forecasting", "mofu", "/webinars/pipeline-forecasting"),
    ("Webinar: Speed to Lead", "mofu", "/webinars/speed-to-lead"),
    ("Webinar: ABM in Practice", "mofu", "/webinars/abm-in-practice"),
)
NEWSLETTER_PATH = "/newsletter"
HAND_RAISE_FORMS: tuple[tuple[str, str, str], ...] = (
    # (form_type, asset_name, page path); all bottom of funnel
    ("demo_request", "Product demo", "/demo"),
    ("contact_sales", "Talk to sales", "/contact-sales"),
    ("free_trial", "14-day free trial", "/free-trial"),
)


def _site_pages() -> tuple[tuple[str, str], ...]:
    pages: list[tuple[str, str]] = [("/", "home")]
    pages += [(p, "pricing") for p in ("/pricing", "/pricing/enterprise", "/pricing/compare")]
    pages += [
        (p, "product")
        for p in ("/product", "/product/lead-scoring", "/product/attribution", "/product/integrations",
                  "/product/analytics", "/product/security")
    ]  # fmt: skip
    pages += [(f"/blog/{s}", "blog") for s in _BLOG_SLUGS]
    pages += [(f"/docs/{s}", "docs") for s in _DOCS_SLUGS]
    pages += [(f"/careers{s}", "careers") for s in _CAREER_SLUGS]
    pages += [(p, "contact") for p in ("/contact", "/demo", "/contact-sales", "/free-trial")]
    pages += [(f"/customers/{s}", "case_study") for s in _CASE_SLUGS]
    pages += [(p, "other") for p in ("/about", "/partners", "/legal/privacy", "/events", NEWSLETTER_PATH)]
    pages += [(path, "other") for _, _, path in CONTENT_ASSETS + WEBINAR_ASSETS]
    return tuple(pages)


SITE_PAGES: tuple[tuple[str, str], ...] = _site_pages()  # (path, page_category)
PAGE_INDEX = {path: i for i, (path, _) in enumerate(SITE_PAGES)}

# ----------------------------------------------------------------------- campaigns
CHANNEL_LABELS = {
    "paid_search": "Paid Search",
    "paid_social": "Paid Social",
    "display": "Display",
    "organic_search": "SEO",
    "email": "Newsletter",
    "webinar": "Webinar Series",
    "events": "Trade Show",
    "referral": "Customer Referral Program",
    "partner": "Partner Program",
    "content_syndication": "Content Syndication",
}
CAMPAIGN_THEMES = ("Brand", "Lead Scoring", "Attribution", "ABM", "Pipeline", "Competitor")

# ------------------------------------------------------------------ marketing events
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
CAMPAIGN_MEMBER_STATUSES = ("sent", "registered", "attended", "responded")
ACTIVITY_TYPES = ("call", "email", "meeting")

# ---------------------------------------------------------------- opportunity stages
# The sales process the generator simulates (index order), and the stage names each CRM
# vocabulary writes for it (seeds/vocabularies/opportunity_stage_mapping.csv maps them back).
OPPORTUNITY_STAGE_VALUES: dict[str, tuple[str, ...]] = {
    "salesforce": ("Prospecting", "Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"),
    "hubspot": (
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "contractsent",
        "closedwon",
        "closedlost",
    ),
    "marketo": ("Prospecting", "Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost"),
}
CURRENCIES = ("USD", "EUR", "GBP")
