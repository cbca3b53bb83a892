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
from .contract import InputError, ReconcileError
from .display import slot_label
from .io import decode_text, load_json, write_atomic
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

def _load(data: Any) -> tuple[Any, str | None]:
    """The parsed document and the file it came from (None for text or an object)."""
    if isinstance(data, bytes):
        data = decode_text(data, "ClaimReview input")
    if isinstance(data, (str, os.PathLike)) and not str(data).lstrip().startswith(("{", "[")):
        path = Path(data)
        try:
            text = decode_text(path.read_bytes(), str(path))
        except (FileNotFoundError, IsADirectoryError):
            raise InputError("no such file", file=str(path)) from None
        return load_json(text, str(path)), str(path)
    if isinstance(data, str):
        return load_json(data, None), None
    return data, None


class _Reader:
    """Typed access to a parsed document: every field is checked where it is read, and a
    field of the wrong shape is an :class:`InputError` naming its place
    (``claims[2].claimReview[0].textualRating``)."""

    def __init__(self, file: str | None):
        self.file = file

    def fail(self, where: str, expected: str, value: Any) -> None:
        raise InputError(f"{where}: expected {expected}, got {type(value).__name__}", file=self.file)

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(where, "an object", value)
        return value

    def items(self, value: Any, where: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, "a list", value)
        return value

    def text(self, value: Any, where: str) -> str | None:
        if value is None or isinstance(value, str):
            return value or None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        self.fail(where, "text", value)

    def name(self, value: Any, where: str) -> str | None:
        """A schema.org Person/Organization, a list of them (the first), or a plain name."""
        if isinstance(value, list):
            return self.name(value[0], f"{where}[0]") if value else None
        if isinstance(value, Mapping):
            for key in ("name", "site", "url"):
                found = self.text(value.get(key), f"{where}.{key}")
                if found:
                    return found
            return None
        return self.text(value, where)


def _reviews(data: Any, reader: _Reader) -> list[tuple[str, Mapping[str, Any]]]:
    """The ClaimReview objects of a document (a list, an ``@graph``, or one review), in
    document order, with their places; nesting is walked without recursion."""
    found, stack = [], [(data, "$")]
    while stack:
        item, where = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed([(x, f"{where}[{i}]") for i, x in enumerate(item)]))
        elif isinstance(item, Mapping):
            if "@graph" in item:
                stack.append((reader.items(item["@graph"], f"{where}.@graph"), f"{where}.@graph"))
            elif item.get("@type") == "ClaimReview" or "claimReviewed" in item:
                found.append((where, item))
    return found


def _row(publisher, text, rating, claimant, date, url, language, extractor) -> dict[str, Any]:
    return {"source": publisher or "unknown publisher", "subject": text, "predicate": "rating",
            "value": rating, "value_kind": "text", "reported_at": date, "document": url,
            "evidence": f"{claimant}: “{text}”" if claimant else text, "language": language,
            "extractor": extractor}


def read_claimreview(data: Any) -> pd.DataFrame:
    """A claims table from ClaimReview JSON-LD or a Fact Check Tools ``claims:search`` response
    (a path, JSON text, or the parsed object): one claim per review, by its publisher, that the
    claim text has its textual rating. A field of the wrong shape is an :class:`InputError`
    naming the file and the field's place."""
    data, file = _load(data)
    read = _Reader(file)
    rows = []
    if isinstance(data, Mapping) and "claims" in data:
        for i, claim in enumerate(read.items(data["claims"], "claims")):
            at = f"claims[{i}]"
            if not isinstance(claim, Mapping):
                read.fail(at, "an object", claim)
            for j, review in enumerate(read.items(claim.get("claimReview"), f"{at}.claimReview")):
                where = f"{at}.claimReview[{j}]"
                review = read.mapping(review, where)
                rows.append(_row(read.name(review.get("publisher"), f"{where}.publisher"),
                                 read.text(claim.get("text"), f"{at}.text"),
                                 read.text(review.get("textualRating"), f"{where}.textualRating"),
                                 read.text(claim.get("claimant"), f"{at}.claimant"),
                                 read.text(review.get("reviewDate"), f"{where}.reviewDate")
                                 or read.text(claim.get("claimDate"), f"{at}.claimDate"),
                                 read.text(review.get("url"), f"{where}.url"),
                                 read.text(review.get("languageCode"), f"{where}.languageCode"), "factchecktools"))
    else:
        for where, review in _reviews(data, read):
            item = read.mapping(review.get("itemReviewed"), f"{where}.itemReviewed")
            rating = read.mapping(review.get("reviewRating"), f"{where}.reviewRating")
            rows.append(_row(read.name(review.get("author"), f"{where}.author"),
                             read.text(review.get("claimReviewed"), f"{where}.claimReviewed")
                             or read.text(item.get("text"), f"{where}.itemReviewed.text"),
                             read.text(rating.get("alternateName"), f"{where}.reviewRating.alternateName")
                             or read.text(rating.get("name"), f"{where}.reviewRating.name"),
                             read.name(item.get("author"), f"{where}.itemReviewed.author"),
                             read.text(review.get("datePublished"), f"{where}.datePublished")
                             or read.text(item.get("datePublished"), f"{where}.itemReviewed.datePublished"),
                             read.text(review.get("url"), f"{where}.url"),
                             read.text(review.get("inLanguage"), f"{where}.inLanguage"), "claimreview"))
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
