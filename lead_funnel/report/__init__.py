"""`lead-funnel report`: a self-contained HTML funnel report from the published warehouse.

queries.py reads the marts (one select per figure group, read-only); sections.py picks, sorts and
formats their values into charts.py's inline SVG; render.py renders templates/report.html.j2.
What each section shows and which mart columns it reads: docs/report.md.
"""

from lead_funnel.report.render import default_report_path, write_report

__all__ = ["default_report_path", "write_report"]
