"""Parse and compare typed values: counts and numbers as intervals, times and dates with time
zones, categories and places on a hierarchy, text and person names.

Modules: ``quantity`` (counts, numbers), ``temporal`` (times, dates), ``taxonomy`` (categories,
places), ``text`` (text, names, missing markers), ``parse`` (kind inference, :func:`parse_value`),
``compare`` (:func:`agreement`, :func:`pairwise_agreement`). Every word list is data in
``reconcile/data``: quantities.csv, units.csv, zones.csv, taxonomy.csv, missing_markers.csv,
predicate_kinds.csv.

>>> from reconcile.values import parse_value, agreement
>>> agreement(parse_value("three", "count"), parse_value("at least 3", "count"))
0.5
"""

from reconcile.values._base import ParsedValue, ValueParseError
from reconcile.values.compare import agreement, label_agreement, pairwise_agreement
from reconcile.values.parse import infer_kind, parse_value
from reconcile.values.taxonomy import Taxonomy
from reconcile.values.text import is_missing, normalize_name, normalize_text

__all__ = [
    "ParsedValue",
    "Taxonomy",
    "ValueParseError",
    "agreement",
    "infer_kind",
    "is_missing",
    "label_agreement",
    "normalize_name",
    "normalize_text",
    "pairwise_agreement",
    "parse_value",
]
