"""The report's sections: marts' values (ReportData) picked, sorted and formatted into charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lead_funnel.report import charts, fmt
from lead_funnel.report.charts import Series
from lead_funnel.report.model import Chart, Figure, Section, Table
from lead_funnel.report.queries import ChannelCostRow, CohortRow, ReportData, SlaRow, VelocityRow
from lead_funnel.report.svg import category_colours

BLUE, ORANGE, GREEN, RED, PURPLE, GREY = "#2f6fab", "#e8832a", "#3f9b4f", "#d1495b", "#7b5ea7", "#9aa3ad"
ARROW = "\u2192"


def _months(values: Sequence[date]) -> list[date]:
    return sorted(set(values))


def _month_ticks(months: Sequence[date], limit: int = 12) -> list[tuple[int, str]]:
    """Month axis labels ('Oct', the year on a second line at the first month and each January)."""
    step = max(1, -(-len(months) // limit))
    return [(i, fmt.month_axis(m, first=i == 0)) for i, m in enumerate(months) if i % step == 0]


# ----------------------------------------------------------------------------- headline figures


def headline_figures(data: ReportData) -> tuple[Figure, ...]:
    f, costs, stale = data.funnel, data.total_costs, data.stale[-1] if data.stale else None
    sla_all, sla_mql, sla_sql = data.sla_total("all"), data.sla_total("mql"), data.sla_total("sql")
    return (
        Figure("new_leads", f.new_leads, fmt.integer(f.new_leads), "New leads", "live leads created"),
        Figure(
            "mqls",
            f.mqls,
            fmt.integer(f.mqls),
            "MQLs",
            f"{fmt.integer(f.first_time_mqls)} first-time, {fmt.integer(f.re_mqls)} re-MQLs",
        ),
        Figure(
            "sqls", f.sqls, fmt.integer(f.sqls), "SQLs", f"SQL entries; {fmt.pct(f.sal_to_sql_rate)} of SALs"
        ),
        Figure("won_deals", f.won, fmt.integer(f.won), "Won deals", f"{fmt.usd(f.won_amount_usd)} won"),
        Figure("ad_spend_usd", costs.spend, fmt.usd(costs.spend), "Ad spend", "all paid channels"),
        Figure(
            "cost_per_mql",
            costs.cost_per_mql,
            fmt.usd(costs.cost_per_mql),
            "Cost per MQL",
            "blended: all spend / all first-time MQLs",
        ),
        Figure(
            "sla_attainment",
            sla_all.sla_attainment_rate if sla_all else None,
            fmt.pct(sla_all.sla_attainment_rate if sla_all else None),
            "Speed-to-lead SLA",
            f"MQL {fmt.pct(sla_mql.sla_attainment_rate if sla_mql else None)}, "
            f"SQL {fmt.pct(sla_sql.sla_attainment_rate if sla_sql else None)} of observable handoffs",
        ),
        Figure(
            "stale_mqls",
            stale.stale_mqls if stale else None,
            fmt.integer(stale.stale_mqls if stale else None),
            "Stale MQLs",
            f"{fmt.pct(stale.stale_share if stale else None)} of open MQLs on "
            f"{fmt.day(stale.activity_date) if stale else fmt.MISSING}",
        ),
    )


# ----------------------------------------------------------------------------- funnel


def funnel_section(data: ReportData) -> Section:
    f = data.funnel
    steps = [
        ("Leads", f.new_leads, None, "", "new_leads"),
        ("MQLs", f.mqls, f.lead_to_mql_rate, f"lead {ARROW} MQL (first-time MQLs / leads)", "mqls"),
        ("SALs", f.sals, f.mql_to_sal_rate, f"MQL {ARROW} SAL", "sals"),
        ("SQLs", f.sqls, f.sal_to_sql_rate, f"SAL {ARROW} SQL", "sqls"),
        (
            "Opportunities",
            f.opportunities_created,
            f.sql_to_opportunity_rate,
            f"SQL {ARROW} opportunity",
            "opps",
        ),
        ("Won", f.won, f.win_rate, "win rate: won / closed (won + lost)", "won"),
    ]
    funnel_steps = [
        charts.FunnelStep(
            label,
            value,
            fmt.integer(value),
            f"{fmt.pct(rate)} {note}" if note else "",
            f"{label}: {fmt.integer(value)}" + (f" \u00b7 {fmt.pct(rate)} {note}" if note else ""),
        )
        for label, value, rate, note, _ in steps
    ]
    svg = charts.funnel(
        "funnel",
        "Funnel: lead to won",
        "Stage volumes over the whole data range with the conversion from the previous step.",
        funnel_steps,
    )
    table = Table(
        ("Step", "Count", "Conversion", "Conversion is"),
        tuple(
            (
                label,
                Figure(f"funnel.{key}", value, fmt.integer(value)),
                Figure(f"funnel.{key}_rate", rate, fmt.pct(rate)) if note else fmt.MISSING,
                note or "first step",
            )
            for label, value, rate, note, key in steps
        ),
    )
    chart = Chart("funnel", "Funnel: lead to won", "", svg, table)
    return Section(
        "funnel",
        "Funnel",
        "Period counts over the whole data range: leads created, MQL, SAL and SQL stage entries (re-MQLs "
        "included), opportunities created and won. Each step's rate uses the definition of "
        "fct_funnel_monthly's period rates, over the summed counts.",
        "marts.fct_funnel_monthly: new_leads, first_time_mqls, re_mqls, mqls, sals, sqls, "
        "opportunities_created, won, lost (summed over months, channels, fit grades)",
        (chart,),
    )


# ----------------------------------------------------------------------------- trend


def trend_section(data: ReportData, colours: dict[str, str]) -> Section:
    months = _months([r.funnel_month for r in data.trend])
    channels = sorted({r.channel for r in data.trend})
    by_key = {(r.funnel_month, r.channel): r for r in data.trend}
    labels = [fmt.month_axis(m, first=i == 0) for i, m in enumerate(months)]

    def build(measure: str, label: str) -> Chart:
        series = [
            Series(
                c,
                colours[c],
                [getattr(by_key[(m, c)], measure) if (m, c) in by_key else None for m in months],
            )
            for c in channels
        ]
        svg = charts.stacked_bars(
            f"{measure}_trend",
            f"{label} per month by channel",
            f"Stacked bars: {label} per month, one segment per KPI channel.",
            labels,
            series,
            label,
            fmt.integer,
            lambda i, s, v: f"{fmt.month(months[i])} \u00b7 {s.name}: {fmt.integer(v)} {label}",
        )
        rows = tuple(
            (
                fmt.month(m),
                *(
                    fmt.integer(getattr(by_key[(m, c)], measure)) if (m, c) in by_key else "0"
                    for c in channels
                ),
            )
            for m in months
        )
        table = Table(("Month", *channels), rows)
        return Chart(f"{measure}_trend", f"{label} per month", "", svg, table, wide=False)

    return Section(
        "trend",
        "MQL and SQL trend",
        "MQL entries (first-time and re-MQLs) and SQL entries per month, by the lead's KPI channel.",
        "marts.fct_funnel_monthly: funnel_month, channel, mqls, sqls (fit grades summed)",
        (build("mqls", "MQLs"), build("sqls", "SQLs")),
        legend=tuple(colours.items()),
    )


# ----------------------------------------------------------------------------- cohorts


def _window_label(days: int | None) -> str:
    """'within 30 days', or 'to date' for the window that ends at the as-of."""
    return "to date" if days is None else f"within {days} days"


def _cohort_cell(row: CohortRow) -> charts.HeatCell:
    where = (
        f"{row.channel} \u00b7 {fmt.month(row.cohort_month)} cohort \u00b7 {_window_label(row.window_days)}"
    )
    if not row.is_mature_cohort or row.mql_to_sql_rate is None:
        return charts.HeatCell(
            None,
            "",
            f"{where}: not mature, {fmt.integer(row.mature_members)} of {fmt.integer(row.members)} "
            f"MQLs observed {row.window_days} days; rate withheld",
            True,
        )
    return charts.HeatCell(
        row.mql_to_sql_rate,
        fmt.pct(row.mql_to_sql_rate, 0),
        f"{where}: {fmt.pct(row.mql_to_sql_rate)} ({fmt.integer(row.sqls_within_window)} of "
        f"{fmt.integer(row.members)} MQLs reached SQL)",
        False,
    )


def cohort_section(data: ReportData) -> Section:
    months = _months([r.cohort_month for r in data.cohorts])
    channels = sorted({r.channel for r in data.cohorts})
    windows = list(dict.fromkeys(r.window_days for r in data.cohorts))  # query order: to date last
    groups = [(i, str(m.year)) for i, m in enumerate(months) if i == 0 or m.month == 1]
    panels = []
    for window in windows:
        rows = [r for r in data.cohorts if r.window_days == window]
        rates = [r.mql_to_sql_rate for r in rows if r.mql_to_sql_rate is not None and r.is_mature_cohort]
        high = max(rates, default=0.0)
        cells = {(channels.index(r.channel), months.index(r.cohort_month)): _cohort_cell(r) for r in rows}
        panels.append(
            charts.HeatPanel(
                f"MQL {ARROW} SQL {_window_label(window)}",
                channels,
                [m.strftime("%b") for m in months],
                groups,
                cells,
                high,
                fmt.pct(high, 0),
            )
        )
    svg = charts.heatmap(
        "cohort_heatmap",
        "Cohort MQL-to-SQL conversion by window",
        "Heat maps: rows are KPI channels, columns MQL cohort months; colour is the cohort's MQL-to-SQL "
        "rate within the window; hatched cells are cohorts not yet mature for the window.",
        panels,
    )
    table = Table(
        (
            "Cohort",
            "Channel",
            "Window",
            "Members",
            "Mature members",
            "Mature",
            "SQLs in window",
            "MQL \u2192 SQL",
        ),
        tuple(
            (
                fmt.month(r.cohort_month),
                r.channel,
                "to date" if r.window_days is None else f"{r.window_days} d",
                fmt.integer(r.members),
                fmt.integer(r.mature_members),
                "yes" if r.is_mature_cohort else "no",
                fmt.integer(r.sqls_within_window),
                fmt.pct(r.mql_to_sql_rate),
            )
            for r in data.cohorts
        ),
        label_columns=3,
    )
    legend = (("hatched: not mature, rate withheld", "hatch"),)
    chart = Chart("cohort_heatmap", "Cohort conversion", "", svg, table, legend=legend)
    return Section(
        "cohorts",
        "Cohort conversion",
        "Share of each month's MQLs (per channel) whose MQL cycle reached SQL within 7, 30, 90 or 180 days. "
        "A rate is shown only when every member of the cohort has been observed for the whole window; "
        "younger cohorts are hatched (their rate would be too low, not yet known). Each panel has its own "
        "colour scale.",
        "marts.fct_mql_cohorts: cohort_month, channel, window_days, members, mature_members, "
        "is_mature_cohort, sqls_within_window, mql_to_sql_rate",
        (chart,),
    )


# ----------------------------------------------------------------------------- velocity

_STEPS = (
    (f"MQL {ARROW} SQL", "mql_to_sql", "mqls_reaching_sql", BLUE),
    (f"SQL {ARROW} opportunity", "sql_to_opportunity", "sqls_reaching_opportunity", ORANGE),
    (f"Opportunity {ARROW} close", "opportunity_to_close", "opportunities_closed", GREEN),
)


def _velocity_cell(
    rows: dict[date, VelocityRow], months: Sequence[date], step: str, count: str, label: str, channel: str
) -> charts.BandSeries:
    medians: list[float | None] = []
    p75s: list[float | None] = []
    tips: list[str] = []
    for m in months:
        row = rows.get(m)
        median = getattr(row, f"median_days_{step}") if row else None
        p75 = getattr(row, f"p75_days_{step}") if row else None
        medians.append(median)
        p75s.append(p75)
        made = getattr(row, count) if row else 0
        tips.append(
            f"{channel} \u00b7 {fmt.month(m)} cohort \u00b7 {label}: median {fmt.days(median)}, p75 "
            f"{fmt.days(p75)} "
            f"({fmt.integer(made)} made the step)"
        )
    return charts.BandSeries(medians, p75s, tips)


def velocity_section(data: ReportData) -> Section:
    months = _months([r.cohort_month for r in data.velocity])
    channels = sorted({r.channel for r in data.velocity})
    by_channel: dict[str, dict[date, VelocityRow]] = {c: {} for c in channels}
    for r in data.velocity:
        by_channel[r.channel][r.cohort_month] = r
    columns = []
    for label, step, count, colour in _STEPS:
        # Axis top: 1.3 x the p75 ranked at 90% (a few outlier cohorts are clipped; tooltips and the
        # table hold every value). Picking from sorted values, no statistic is computed here.
        p75s = sorted(v for r in data.velocity if (v := getattr(r, f"p75_days_{step}")) is not None)
        high = 1.3 * p75s[int(0.9 * (len(p75s) - 1))] if p75s else 1.0
        cells = [_velocity_cell(by_channel[c], months, step, count, label, c) for c in channels]
        columns.append(charts.BandColumn(label, colour, cells, high))
    svg = charts.band_grid(
        "velocity",
        "Velocity: median and p75 days per step",
        "Small multiples: rows are KPI channels, columns the funnel steps; the line is the cohort's median "
        "days, the band reaches up to the 75th percentile.",
        channels,
        columns,
        _month_ticks(months, 4),
        len(months),
        lambda v: f"{v:,.0f}",
    )
    table = Table(
        (
            "Cohort",
            "Channel",
            "MQLs",
            "Reached SQL",
            "Median MQL\u2192SQL",
            "p75 MQL\u2192SQL",
            "Reached opp.",
            "Median SQL\u2192opp.",
            "p75 SQL\u2192opp.",
            "Closed",
            "Median opp.\u2192close",
            "p75 opp.\u2192close",
        ),
        tuple(
            (
                fmt.month(r.cohort_month),
                r.channel,
                fmt.integer(r.mqls),
                fmt.integer(r.mqls_reaching_sql),
                fmt.days(r.median_days_mql_to_sql),
                fmt.days(r.p75_days_mql_to_sql),
                fmt.integer(r.sqls_reaching_opportunity),
                fmt.days(r.median_days_sql_to_opportunity),
                fmt.days(r.p75_days_sql_to_opportunity),
                fmt.integer(r.opportunities_closed),
                fmt.days(r.median_days_opportunity_to_close),
                fmt.days(r.p75_days_opportunity_to_close),
            )
            for r in sorted(data.velocity, key=lambda r: (r.cohort_month, r.channel))
        ),
        label_columns=2,
    )
    legend = (("median (line)", "line"), ("median to p75 (band)", "band"))
    chart = Chart("velocity", "Velocity", "", svg, table, legend=legend)
    return Section(
        "velocity",
        "Velocity",
        "Days from MQL to SQL, SQL to opportunity and opportunity to close, per MQL cohort month and "
        "channel, "
        "over the cycles that made the step (young cohorts show only their fast converters). Each column has "
        "its own scale.",
        "marts.fct_mql_velocity: cohort_month, channel, mqls, mqls_reaching_sql, "
        "median_/p75_days_mql_to_sql, "
        "sqls_reaching_opportunity, median_/p75_days_sql_to_opportunity, opportunities_closed, "
        "median_/p75_days_opportunity_to_close",
        (chart,),
    )


# ----------------------------------------------------------------------------- costs


def _cost_row(r: ChannelCostRow) -> tuple[str | Figure, ...]:
    c = r.channel.replace(" ", "_")  # 'all channels' -> figure names such as cost_per_mql.all_channels
    return (
        r.channel,
        Figure(f"spend.{c}", r.spend, fmt.usd(r.spend)),
        fmt.integer(r.leads),
        fmt.integer(r.mqls),
        fmt.integer(r.sqls),
        fmt.integer(r.won_deals),
        fmt.usd(r.won_amount_usd),
        Figure(f"cost_per_lead.{c}", r.cost_per_lead, fmt.usd(r.cost_per_lead)),
        Figure(f"cost_per_mql.{c}", r.cost_per_mql, fmt.usd(r.cost_per_mql)),
        Figure(f"cost_per_sql.{c}", r.cost_per_sql, fmt.usd(r.cost_per_sql)),
        Figure(f"cost_per_won_deal.{c}", r.cost_per_won_deal, fmt.usd(r.cost_per_won_deal)),
        Figure(f"return_on_spend.{c}", r.return_on_spend, fmt.multiple(r.return_on_spend)),
    )


def cost_section(data: ReportData) -> Section:
    paid = [r for r in data.channel_costs if r.spend is not None]
    svg = charts.bar_panels(
        "channel_costs",
        "Cost per MQL, SQL and won deal, and return on spend, by channel",
        "Horizontal bars per paid channel; return on spend is won USD per USD spent (1\u00d7 = break-even).",
        [r.channel for r in paid],
        [
            charts.BarPanel("Cost per MQL", [r.cost_per_mql for r in paid], fmt.usd, BLUE, missing="no MQLs"),
            charts.BarPanel(
                "Cost per SQL", [r.cost_per_sql for r in paid], fmt.usd, ORANGE, missing="no SQLs"
            ),
            charts.BarPanel(
                "Cost per won deal",
                [r.cost_per_won_deal for r in paid],
                fmt.usd,
                PURPLE,
                missing="no won deals",
            ),
            charts.BarPanel(
                "Return on spend", [r.return_on_spend for r in paid], fmt.multiple, GREEN, (1.0, "break-even")
            ),
        ],
    )
    rows = tuple(_cost_row(r) for r in [*data.channel_costs, data.total_costs])
    table = Table(
        (
            "Channel",
            "Spend",
            "Leads",
            "MQLs",
            "SQLs",
            "Won deals",
            "Won USD",
            "Cost / lead",
            "Cost / MQL",
            "Cost / SQL",
            "Cost / won",
            "Return",
        ),
        rows,
        total_last=True,
    )
    chart = Chart("channel_costs", "Cost and return by channel", "", svg, table, table_open=True)
    return Section(
        "costs",
        "Cost and return by channel",
        "Ad spend against the leads, first-time MQLs, first SQLs and won deals credited to each acquisition "
        "channel, over the whole range. Channels without recorded spend (organic, referral...) have no cost. "
        "Cost per X = spend / X; return on spend = won USD / spend (as fct_channel_costs and the semantic "
        "metric cost_per_mql define them).",
        "marts.fct_channel_costs: channel, spend, leads, mqls, sqls, won_deals, won_amount_usd (summed over "
        "months and campaigns)",
        (chart,),
    )


# ----------------------------------------------------------------------------- speed to lead


def _sla_rate(rows: dict[tuple[object, str], SlaRow], key: object, handoff_type: str) -> float | None:
    row = rows.get((key, handoff_type))
    return row.sla_attainment_rate if row else None


def sla_section(data: ReportData) -> Section:
    monthly = {(r.handoff_month, r.handoff_type): r for r in data.sla_rows("month")}
    teams_rows = {(r.owner_team, r.handoff_type): r for r in data.sla_rows("team")}
    months = _months([m for m, _ in monthly if isinstance(m, date)])
    teams = sorted({t for t, _ in teams_rows if isinstance(t, str)})
    types = (("mql", "MQL handoffs", BLUE), ("sql", "SQL handoffs", ORANGE))
    trend = charts.line_chart(
        "sla_trend",
        "SLA attainment per month",
        "Lines: share of observable MQL and SQL handoffs answered within the SLA, per handoff month.",
        list(range(len(months))),
        _month_ticks(months),
        [
            charts.LinePanel(
                [
                    Series(label, colour, [_sla_rate(monthly, m, t) for m in months])
                    for t, label, colour in types
                ],
                "within SLA",
                lambda v: fmt.pct(v, 0),
                y_max=1.0,
            )
        ],
        lambda i, s, v: f"{fmt.month(months[i])} \u00b7 {s.name}: {fmt.pct(v)} within SLA",
    )
    by_team = charts.grouped_bars(
        "sla_by_team",
        "SLA attainment by owner team",
        "Grouped bars: share of observable handoffs answered within the SLA per owner team and handoff type.",
        teams,
        [
            Series(label, colour, [_sla_rate(teams_rows, team, t) for team in teams])
            for t, label, colour in types
        ],
        "within SLA",
        lambda v: fmt.pct(v, 0),
        lambda i, s, v: f"{teams[i]} \u00b7 {s.name}: {fmt.pct(v)} within SLA",
    )

    def rows_of(pairs: dict[tuple[object, str], SlaRow], keys: Sequence[object], label: object) -> Table:
        return Table(
            ("Group", "Handoff", "Handoffs", "Observable", "Within SLA", "Attainment"),
            tuple(
                (
                    label(key),  # type: ignore[operator]
                    t,
                    fmt.integer(r.handoffs),
                    fmt.integer(r.observable_handoffs),
                    fmt.integer(r.handoffs_within_sla),
                    fmt.pct(r.sla_attainment_rate),
                )
                for key in keys
                for t, _, _ in types
                if (r := pairs.get((key, t))) is not None
            ),
            label_columns=2,
        )

    totals = tuple(
        Figure(
            f"sla_attainment.{r.handoff_type}",
            r.sla_attainment_rate,
            fmt.pct(r.sla_attainment_rate),
            "All handoffs" if r.handoff_type == "all" else f"{r.handoff_type.upper()} handoffs",
            f"{fmt.integer(r.handoffs_within_sla)} of {fmt.integer(r.observable_handoffs)} observable",
        )
        for r in data.sla_rows("total")
    )
    legend = tuple((label, colour) for _, label, colour in types)
    return Section(
        "sla",
        "Speed to lead",
        "SLA attainment = handoffs answered within the SLA / observable handoffs (answered, or older than "
        "the SLA "
        "horizon), for MQL and SQL handoffs; the lead's current owner and team.",
        "marts.fct_speed_to_lead_attainment: handoff_month, handoff_type, owner_team, handoffs, "
        "observable_handoffs, handoffs_within_sla (summed over owners; attainment = within / observable)",
        (
            Chart(
                "sla_trend",
                "SLA attainment per month",
                "",
                trend,
                rows_of(monthly, months, fmt.month),
                legend,
                False,
            ),
            Chart(
                "sla_by_team",
                "SLA attainment by team",
                "",
                by_team,
                rows_of(teams_rows, teams, str),
                legend,
                False,
            ),
        ),
        totals,
    )


# ----------------------------------------------------------------------------- scoring


def scoring_section(data: ReportData) -> Section:
    bands = data.score_bands
    categories = [
        f"{b.segment} ({fmt.number(b.min_score, 0)}\u2013{fmt.number(b.max_score, 0)})" for b in bands
    ]
    lift = charts.grouped_bars(
        "score_lift",
        "Lift by score band",
        "Grouped bars: SQL and won rate of each score band at MQL relative to all evaluated leads (1 = "
        "average).",
        categories,
        [
            Series("SQL lift", BLUE, [b.sql_lift for b in bands]),
            Series("Won lift", GREEN, [b.won_lift for b in bands]),
        ],
        "lift (\u00d7 average)",
        lambda v: f"{v:.2f}",
        lambda i, s, v: (
            f"{bands[i].segment} \u00b7 {s.name}: {v:.2f}\u00d7 ({fmt.integer(bands[i].leads)} leads)"
        ),
        reference=(1.0, "all leads = 1"),
    )
    th = data.thresholds
    xs = [t.candidate_threshold for t in th]
    curve = charts.line_chart(
        "threshold_curve",
        "Threshold curve",
        "Top: precision, recall and F1 of flagging leads as MQL at each candidate score threshold; bottom: "
        "MQLs per month the threshold would hand to sales.",
        xs,
        [(x, fmt.number(x, 0)) for x in xs],
        [
            charts.LinePanel(
                [
                    Series("Precision", BLUE, [t.precision_rate for t in th]),
                    Series("Recall", ORANGE, [t.recall_rate for t in th]),
                    Series("F1", PURPLE, [t.f1_score for t in th], dashed=True),
                ],
                "rate",
                lambda v: fmt.pct(v, 0),
                y_max=1.0,
            ),
            charts.LinePanel(
                [Series("MQLs per month", GREY, [t.mqls_per_month for t in th])],
                "MQLs / month",
                fmt.integer,
                bars=True,
            ),
        ],
        lambda i, s, v: (
            f"threshold {fmt.number(xs[i], 0)} \u00b7 {s.name}: "
            + (fmt.integer(v) if s.name == "MQLs per month" else fmt.pct(v))
        ),
        x_label="candidate score threshold",
        panel_height=150.0,
    )
    band_table = Table(
        ("Band", "Scores", "Leads", "SQL within window", "SQL rate", "SQL lift", "Won rate", "Won lift"),
        tuple(
            (
                b.segment,
                f"{fmt.number(b.min_score)}\u2013{fmt.number(b.max_score)}",
                fmt.integer(b.leads),
                fmt.integer(b.sql_leads),
                fmt.pct(b.sql_rate),
                Figure(f"sql_lift.{b.segment}", b.sql_lift, fmt.multiple(b.sql_lift)),
                fmt.pct(b.won_rate),
                Figure(f"won_lift.{b.segment}", b.won_lift, fmt.multiple(b.won_lift)),
            )
            for b in bands
        ),
        label_columns=2,
    )
    threshold_table = Table(
        ("Threshold", "Flagged", "True positives", "Precision", "Recall", "F1", "MQLs / month"),
        tuple(
            (
                fmt.number(t.candidate_threshold, 0),
                fmt.integer(t.flagged_leads),
                fmt.integer(t.true_positives),
                fmt.pct(t.precision_rate),
                fmt.pct(t.recall_rate),
                fmt.pct(t.f1_score),
                fmt.number(t.mqls_per_month),
            )
            for t in th
        ),
    )
    return Section(
        "scoring",
        "Lead scoring backtest",
        "Leakage-safe backtest of the lead score: lift of each score band at MQL (SQL and won rates within "
        "the "
        "backtest window relative to all evaluated leads), and for each candidate MQL threshold the "
        "precision, "
        "recall and F1 of the flag against reaching SQL, and the sales load it would create.",
        "marts.fct_scoring_backtest: analysis score_band (segment, leads, sql_leads, min_/max_score, "
        "sql_rate, "
        "won_rate, sql_lift, won_lift) and threshold (candidate_threshold, flagged_leads, true_positives, "
        "precision_rate, recall_rate, f1_score, mqls_per_month)",
        (
            Chart(
                "score_lift",
                "Lift by score band",
                "",
                lift,
                band_table,
                (("SQL lift", BLUE), ("Won lift", GREEN)),
                False,
            ),
            Chart(
                "threshold_curve",
                "Threshold curve",
                "",
                curve,
                threshold_table,
                (("Precision", BLUE), ("Recall", ORANGE), ("F1", PURPLE), ("MQLs per month", GREY)),
                False,
            ),
        ),
    )


# ----------------------------------------------------------------------------- stale MQLs


def stale_section(data: ReportData) -> Section:
    days = data.stale
    month_starts = [
        (i, fmt.month_short(d.activity_date)) for i, d in enumerate(days) if d.activity_date.day == 1
    ]
    svg = charts.line_chart(
        "stale_mqls",
        "Open and stale MQLs per day",
        "Area: MQLs still in MQL at the end of each day; line: of those, untouched by sales past the stale "
        "limit.",
        list(range(len(days))),
        month_starts,
        [
            charts.LinePanel(
                [
                    Series("Open MQLs", "#c6dbef", [d.open_mqls for d in days]),
                    Series("Stale MQLs", RED, [d.stale_mqls for d in days]),
                ],
                "MQLs at end of day",
                fmt.integer,
                area_first=True,
                points=False,
            )
        ],
        lambda i, s, v: f"{fmt.day(days[i].activity_date)} \u00b7 {s.name}: {fmt.integer(v)}",
        width=1040.0,
        panel_height=220.0,
    )
    table = Table(
        ("Day", "Open MQLs", "Stale MQLs", "Stale share"),
        tuple(
            (
                fmt.day(d.activity_date),
                fmt.integer(d.open_mqls),
                fmt.integer(d.stale_mqls),
                fmt.pct(d.stale_share),
            )
            for d in reversed(days)
        ),
    )
    legend = (("Open MQLs", "#c6dbef"), ("Stale MQLs", RED))
    return Section(
        "stale",
        "Stale MQLs",
        "At the end of each day: MQL entries still waiting in MQL, and those untouched by sales for longer "
        "than "
        "the stale limit (var kpi_stale_mql_hours).",
        "marts.fct_stale_mqls_daily: activity_date, open_mqls, stale_mqls, stale_share",
        (Chart("stale_mqls", "Open and stale MQLs per day", "", svg, table, legend),),
    )


# ----------------------------------------------------------------------------- all


def build_sections(data: ReportData) -> tuple[Section, ...]:
    """Every section in page order."""
    colours = category_colours(r.channel for r in data.trend)
    return (
        funnel_section(data),
        trend_section(data, colours),
        cohort_section(data),
        velocity_section(data),
        cost_section(data),
        sla_section(data),
        scoring_section(data),
        stale_section(data),
    )
