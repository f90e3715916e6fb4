"""Synthetic raw-data generator for lead_funnel.

Writes every raw table of :mod:`lead_funnel.contract` as ``<out>/<table>.parquet`` plus
``<out>/_manifest.json``. See ``docs/generator.md`` for the generative process and parameters.

    from lead_funnel.generator import GeneratorParams, generate
    counts = generate(GeneratorParams(n_leads=20_000, seed=42), Path("data/raw"))
"""

from lead_funnel.generator.core import generate
from lead_funnel.generator.params import GeneratorParams
from lead_funnel.generator.vocab import CRM_STATUS_VALUES, CRM_VOCABULARIES
from lead_funnel.generator.writer import MANIFEST_NAME, arrow_schema

__all__ = [
    "CRM_STATUS_VALUES",
    "CRM_VOCABULARIES",
    "MANIFEST_NAME",
    "GeneratorParams",
    "arrow_schema",
    "generate",
]
