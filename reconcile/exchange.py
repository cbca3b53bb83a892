"""The formats of the trade: ClaimReview JSON-LD out and in, Fact Check Tools JSON in, PROV-JSON out.

* :func:`claimreview` — one schema.org ``ClaimReview`` per claim, its ``itemReviewed`` a ``Claim``
  with a stable ``@id`` (from the claim id), ``author``, ``appearance`` and ``datePublished``.
  Our confidence is not a verdict, so it never goes into ``reviewRating`` (only a human rating
  passed in ``ratings`` does); it goes into ``reconcile:`` fields.
* :func:`read_claimreview` — ClaimReview JSON-LD or a Fact Check Tools ``claims:search``
  response as a claims table: each review is a claim by its publisher that the claim text has
  the textual rating (predicate ``rating``), so publishers' ratings can be reconciled.
* :func:`prov_document` — W3C PROV-JSON of a run: documents, claims and facts are entities,
  the run an activity (version, method, parameters), sources agents; facts ``wasDerivedFrom``
  their claims, claims from their documents.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pandas as pd

from .consensus import format_value
from .contract import ReconcileError
from .display import slot_label
from .io import write_atomic
from .report import input_hashes

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

__all__ = [
    "CLAIMREVIEW_FIELDS",
    "CLAIM_FIELDS",
    "EXPORT_FORMATS",
    "PROV_SECTIONS",
    "VOCABULARY",
    "add_export_parser",
    "claimreview",
    "export_main",
    "json_text",
    "prov_document",
    "read_claimreview",
    "validate_claimreview",
    "validate_prov",
    "write_json",
]

#: Our own JSON-LD / PROV namespace (fields that are not schema.org's or PROV's).
VOCABULARY = "urn:reconcile:"
#: Fields every exported ClaimReview has.
CLAIMREVIEW_FIELDS = ("@type", "@id", "claimReviewed", "itemReviewed", "reconcile:stance",
                      "reconcile:factValue", "reconcile:factStatus", "reconcile:factConfidence")
#: Fields every exported Claim (``itemReviewed``) has.
CLAIM_FIELDS = ("@type", "@id", "author", "appearance", "datePublished")
#: The PROV-JSON sections a run document fills.
PROV_SECTIONS = ("prefix", "entity", "activity", "agent", "used", "wasGeneratedBy", "wasDerivedFrom",
                 "wasAttributedTo", "wasAssociatedWith")
_PERSON_TYPES = {"person"}


def json_text(data: Any) -> str:
    """Deterministic JSON text (UTF-8, no NaN), one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"


def write_json(path: str | os.PathLike | None, data: Any) -> Any:
    """Write ``data`` as JSON atomically when ``path`` is given; return ``data``."""
    if path is not None:
        write_atomic(path, json_text(data))
    return data


def _plain(value: Any) -> Any:
    """A cell as a JSON value: None for missing, Python numbers, lists kept."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return _plain(value.item())
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _clean(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record without missing fields."""
    return {k: v for k, v in ((k, _plain(v)) for k, v in record.items()) if v is not None and v != ""}


def _fact_of(result: Result) -> dict[tuple, Any]:
    keys = [c for c in ("event", "subject", "predicate") if c in result.facts]
    return {tuple(getattr(f, k) for k in keys): f for f in result.facts.itertuples(index=False)}, keys


def claimreview(result: Result, *, reviewer: str | None = None,
                ratings: Mapping[str, str] | None = None) -> dict[str, Any]:
    """ClaimReview JSON-LD of every claim (``@graph``), with our stance and the fact in own fields.

    ``reviewer``: the fact-checking organisation (the review's ``author``). ``ratings``: human
    verdicts by claim id, the only thing that becomes a ``reviewRating``."""
    facts, keys = _fact_of(result)
    types = dict(zip(result.sources["source"], result.sources["type"]))
    trust = dict(zip(result.sources["source"], result.sources["trust"]))
    items = []
    for claim in result.claims.itertuples(index=False):
        fact = facts.get(tuple(getattr(claim, k) for k in keys))
        document = _plain(claim.document)
        appearance = _clean({"@type": "CreativeWork", "text": claim.evidence,
                             ("url" if str(document or "").startswith(("http://", "https://")) else "name"): document})
        item = _clean({
            "@type": "Claim", "@id": f"{VOCABULARY}claim:{claim.claim_id}",
            "author": _clean({"@type": "Person" if types.get(claim.source) in _PERSON_TYPES else "Organization",
                              "name": claim.source, "alternateName": claim.source_raw
                              if claim.source_raw != claim.source else None}),
            "appearance": appearance or {"@type": "CreativeWork"},
            "datePublished": claim.reported_at,
            "text": claim.evidence,
            "about": {"@type": "Thing", "name": f"{claim.subject} / {claim.predicate}"},
        })
        review = {
            "@type": "ClaimReview", "@id": f"{VOCABULARY}review:{claim.claim_id}",
            "claimReviewed": claim.evidence if isinstance(claim.evidence, str) and claim.evidence
            else f"{claim.source}: {claim.subject} {claim.predicate} {claim.value_text}",
            "itemReviewed": item,
            "reconcile:subject": claim.subject, "reconcile:predicate": claim.predicate,
            "reconcile:value": format_value(claim.value), "reconcile:valueText": claim.value_text,
            "reconcile:valueKind": claim.value_kind, "reconcile:hedged": bool(claim.hedged),
            "reconcile:negated": bool(claim.negated), "reconcile:stance": claim.stance,
            "reconcile:sourceTrust": trust.get(claim.source),
            "reconcile:factValue": format_value(fact.value) if fact is not None else None,
            "reconcile:factStatus": fact.status if fact is not None else None,
            "reconcile:factConfidence": float(fact.confidence) if fact is not None else None,
        }
        if reviewer:
            review["author"] = {"@type": "Organization", "name": reviewer}
        if ratings and claim.claim_id in ratings:
            review["reviewRating"] = {"@type": "Rating", "alternateName": ratings[claim.claim_id]}
        items.append(_clean(review))
    return {"@context": ["https://schema.org", {"reconcile": VOCABULARY}], "@graph": items}


def validate_claimreview(document: Mapping[str, Any]) -> list[str]:
    """What an exported ClaimReview document lacks (empty when it has every listed field)."""
    problems = []
    for position, review in enumerate(document.get("@graph", [])):
        problems += [f"review {position}: no {f}" for f in CLAIMREVIEW_FIELDS if f not in review]
        problems += [f"review {position}: claim has no {f}" for f in CLAIM_FIELDS
                     if f not in review.get("itemReviewed", {})]
        rating = review.get("reviewRating", {})
        if any(str(k).startswith("reconcile:") or k in ("ratingValue",) for k in rating):
            problems.append(f"review {position}: reviewRating holds a machine score")
    return problems


# -- import ---------------------------------------------------------------------------------------

def _load(data: Any) -> Any:
    if isinstance(data, (str, os.PathLike)) and not str(data).lstrip().startswith(("{", "[")):
        return json.loads(Path(data).read_text(encoding="utf-8"))
    if isinstance(data, (str, bytes)):
        return json.loads(data)
    return data


def _name(value: Any) -> str | None:
    if isinstance(value, Mapping):
        return value.get("name") or value.get("site") or value.get("url")
    if isinstance(value, list):
        return _name(value[0]) if value else None
    return value if isinstance(value, str) else None


def _reviews(data: Any) -> Iterable[Mapping[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _reviews(item)
    elif isinstance(data, Mapping):
        if "@graph" in data:
            yield from _reviews(data["@graph"])
        elif data.get("@type") == "ClaimReview" or "claimReviewed" in data:
            yield data


def _row(publisher, text, rating, claimant, date, url, language, extractor) -> dict[str, Any]:
    return {"source": publisher or "unknown publisher", "subject": text, "predicate": "rating",
            "value": rating, "value_kind": "text", "reported_at": date, "document": url,
            "evidence": f"{claimant}: “{text}”" if claimant else text, "language": language,
            "extractor": extractor}


def read_claimreview(data: Any) -> pd.DataFrame:
    """A claims table from ClaimReview JSON-LD or a Fact Check Tools ``claims:search`` response
    (a path, JSON text, or the parsed object): one claim per review, by its publisher, that the
    claim text has its textual rating."""
    data = _load(data)
    rows = []
    if isinstance(data, Mapping) and "claims" in data:
        for claim in data["claims"]:
            for review in claim.get("claimReview", []):
                rows.append(_row(_name(review.get("publisher")), claim.get("text"), review.get("textualRating"),
                                 claim.get("claimant"), review.get("reviewDate") or claim.get("claimDate"),
                                 review.get("url"), review.get("languageCode"), "factchecktools"))
    else:
        for review in _reviews(data):
            item = review.get("itemReviewed") or {}
            rating = review.get("reviewRating") or {}
            rows.append(_row(_name(review.get("author")), review.get("claimReviewed") or item.get("text"),
                             rating.get("alternateName") or rating.get("name"), _name(item.get("author")),
                             review.get("datePublished") or item.get("datePublished"), review.get("url"),
                             review.get("inLanguage"), "claimreview"))
    rows = [r for r in rows if r["subject"] and r["value"]]
    return pd.DataFrame(rows, columns=["source", "subject", "predicate", "value", "value_kind", "reported_at",
                                       "document", "evidence", "language", "extractor"])


# -- PROV -----------------------------------------------------------------------------------------

def _typed(name: str) -> dict[str, str]:
    """A qualified name as a PROV-JSON typed value (not a plain string)."""
    return {"$": name, "type": "prov:QUALIFIED_NAME"}


def _qname(kind: str, name: Any) -> str:
    return f"reconcile:{kind}/{quote(str(name), safe='')}"


def prov_document(result: Result, *, inputs: Iterable[str | os.PathLike] | None = None,
                  started: str | None = None, ended: str | None = None) -> dict[str, Any]:
    """The run as a PROV-JSON document (deterministic: no clock unless ``started``/``ended``)."""
    from . import __version__
    files = input_hashes(list(inputs or []))
    run_key = json.dumps({"params": result.params, "inputs": [f["sha256"] for f in files],
                          "claims": sorted(result.claims["claim_id"])}, sort_keys=True, default=str)
    run = _qname("run", hashlib.sha256(run_key.encode()).hexdigest()[:16])
    software = _qname("software", f"reconcile-{__version__}")
    doc: dict[str, Any] = {section: {} for section in PROV_SECTIONS}
    doc["prefix"] = {"reconcile": VOCABULARY}
    doc["activity"][run] = _clean({
        "prov:type": _typed("reconcile:Run"), "prov:label": f"reconcile {__version__} ({result.method})",
        "reconcile:version": __version__, "reconcile:method": result.method,
        "reconcile:parameters": json.dumps(result.params, ensure_ascii=False, sort_keys=True),
        "prov:startTime": started, "prov:endTime": ended})
    doc["agent"][software] = {"prov:type": _typed("prov:SoftwareAgent"), "prov:label": f"reconcile {__version__}"}
    relations = {name: doc[name] for name in PROV_SECTIONS[4:]}

    def relate(kind: str, **ends: str) -> None:
        relations[kind][f"_:{kind}{len(relations[kind]) + 1}"] = {f"prov:{k}": v for k, v in ends.items()}

    relate("wasAssociatedWith", activity=run, agent=software)
    for file in files:
        entity = _qname("input", file["sha256"])
        doc["entity"][entity] = {"prov:type": _typed("reconcile:InputFile"), "prov:label": file["path"],
                                 "reconcile:sha256": file["sha256"], "reconcile:bytes": file["bytes"]}
        relate("used", activity=run, entity=entity)
    for source in result.sources.itertuples(index=False):
        doc["agent"][_qname("source", source.source)] = _clean({
            "prov:type": _typed("prov:Person" if source.type in _PERSON_TYPES else "prov:Organization"),
            "prov:label": source.source, "reconcile:sourceType": source.type, "reconcile:trust": source.trust})
    for claim in result.claims.itertuples(index=False):
        entity = _qname("claim", claim.claim_id)
        doc["entity"][entity] = _clean({
            "prov:type": _typed("reconcile:Claim"), "prov:label": f"{claim.source}: {claim.subject} / {claim.predicate} = {claim.value_text}",
            "reconcile:subject": claim.subject, "reconcile:predicate": claim.predicate,
            "reconcile:valueText": claim.value_text, "reconcile:value": format_value(claim.value),
            "reconcile:evidence": claim.evidence, "reconcile:stance": claim.stance,
            "reconcile:reportedAt": claim.reported_at})
        relate("wasAttributedTo", entity=entity, agent=_qname("source", claim.source))
        relate("used", activity=run, entity=entity)
        if isinstance(claim.document, str) and claim.document:
            document = _qname("document", claim.document)
            doc["entity"].setdefault(document, {"prov:type": _typed("reconcile:Document"), "prov:label": claim.document})
            relate("wasDerivedFrom", generatedEntity=entity, usedEntity=document)
    for fact in result.facts.itertuples(index=False):
        entity = _qname("fact", slot_label(fact))
        doc["entity"][entity] = _clean({
            "prov:type": _typed("reconcile:Fact"), "prov:label": f"{slot_label(fact)}: {format_value(fact.value)}",
            "prov:value": format_value(fact.value), "reconcile:status": fact.status,
            "reconcile:confidence": float(fact.confidence), "reconcile:explanation": fact.explanation})
        relate("wasGeneratedBy", entity=entity, activity=run)
        for claim_id in dict.fromkeys(fact.claim_ids):
            relate("wasDerivedFrom", generatedEntity=entity, usedEntity=_qname("claim", claim_id), activity=run)
    return {k: v for k, v in doc.items() if v}


def validate_prov(document: Mapping[str, Any]) -> list[str]:
    """What a PROV-JSON document gets wrong: unknown sections, relations to undeclared records."""
    problems = [f"unknown section {s}" for s in document if s not in PROV_SECTIONS and s != "bundle"]
    declared = {**document.get("entity", {}), **document.get("activity", {}), **document.get("agent", {})}
    for section in PROV_SECTIONS[4:]:
        for name, relation in document.get(section, {}).items():
            problems += [f"{section} {name}: {end} {ref} is not declared" for end, ref in relation.items()
                         if end != "prov:time" and ref not in declared]
    return problems


# -- command line ---------------------------------------------------------------------------------

#: ``reconcile export --format`` choices.
EXPORT_FORMATS = ("claimreview", "prov", "graphml", "node-link")


def add_export_parser(commands):
    """Add ``export INPUT... --format claimreview|prov|graphml|node-link [--out FILE]``."""
    from .report import add_input_arguments
    parser = commands.add_parser("export", help="write ClaimReview JSON-LD, PROV-JSON, GraphML or node-link JSON")
    add_input_arguments(parser)
    parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="export_format")
    parser.add_argument("--out", metavar="FILE", help="the file to write (default: print; graphml needs --out)")
    parser.add_argument("--reviewer", help="claimreview: the fact-checking organisation (the review's author)")
    return parser


def export_main(args) -> int:
    """``reconcile export``: reconcile the inputs and write (or print) one export; returns 0."""
    import sys

    from .report import reconcile_inputs
    if args.export_format == "graphml" and not args.out:
        raise ReconcileError("--format graphml writes a file: give --out FILE")
    result = reconcile_inputs(args)
    if args.export_format == "graphml":
        result.to_graphml(args.out)
        return 0
    data = {"claimreview": lambda: claimreview(result, reviewer=args.reviewer),
            "prov": lambda: prov_document(result, inputs=args.inputs),
            "node-link": lambda: result.to_node_link()}[args.export_format]()
    if args.out:
        write_json(args.out, data)
    else:
        sys.stdout.write(json_text(data))
    return 0
