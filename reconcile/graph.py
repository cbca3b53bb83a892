"""The networkx view of a reconciliation: what users look at, built from the tables.

Nodes: sources, claims, slots, values and documents (attribute ``kind``). Edges (attribute
``relation``): source -asserts-> claim, claim -about-> slot, claim -supports-> value,
value -agrees/conflicts-> value (with ``score``), source -cites-> source, claim -reported_in->
document. The engine never walks this graph; it is made on demand from the result tables.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pandas as pd

from .claims import value_key
from .score import ScoredClaims

__all__ = ["build_graph", "slot_subgraph", "node_id", "graph_for_export"]


def node_id(kind: str, *parts) -> str:
    """A readable, unique node id: ``"source:Julian Röpcke"``, ``"slot:russian soldiers|wounded"``."""
    return f"{kind}:" + "|".join(str(p) for p in parts)


def build_graph(scored: ScoredClaims, claims: pd.DataFrame, sources: pd.DataFrame,
                facts: pd.DataFrame) -> nx.MultiDiGraph:
    """The whole source-claim graph of one result."""
    graph = nx.MultiDiGraph()
    for row in sources.itertuples(index=False):
        graph.add_node(node_id("source", row.source), kind="source", label=row.source,
                       type=row.type, trust=_number(row.trust))
    slot_names = [node_id("slot", *key) for key in scored.slots.itertuples(index=False)]
    for name, fact in zip(slot_names, facts.itertuples(index=False)):
        graph.add_node(name, kind="slot", label=name[5:], status=fact.status,
                       confidence=float(fact.confidence), value=str(fact.value))
    keys = value_key(scored.candidates["value"]).to_numpy()
    value_names = [f"value:{slot_names[s][5:]}={k}" for s, k in zip(scored.candidates["slot"], keys)]
    for name, candidate in zip(value_names, scored.candidates.itertuples(index=False)):
        graph.add_node(name, kind="value", label=str(candidate.value), value_kind=candidate.value_kind,
                       negated=bool(candidate.negated))
    slot_of = scored.claims["slot"].to_numpy()
    candidate_of = scored.claims["candidate"].to_numpy()
    for row, slot, candidate in zip(claims.itertuples(index=False), slot_of, candidate_of):
        claim = node_id("claim", row.claim_id)
        graph.add_node(claim, kind="claim", label=str(row.value_text), value_text=str(row.value_text),
                       evidence=_text(row.evidence), hedged=bool(row.hedged), negated=bool(row.negated),
                       stance=row.stance)
        graph.add_edge(node_id("source", row.source), claim, relation="asserts")
        graph.add_edge(claim, slot_names[slot], relation="about")
        graph.add_edge(claim, value_names[candidate], relation="supports")
        if _text(row.document):
            document = node_id("document", row.document)
            graph.add_node(document, kind="document", label=str(row.document))
            graph.add_edge(claim, document, relation="reported_in")
        if _text(getattr(row, "cites", None)):
            graph.add_edge(node_id("source", row.source), node_id("source", row.cites), relation="cites")
    agreement = scored.problem.implication.tocoo()
    upper = agreement.row < agreement.col
    for i, j, score in zip(agreement.row[upper], agreement.col[upper], agreement.data[upper]):
        graph.add_edge(value_names[i], value_names[j], relation="agrees" if score > 0 else "conflicts",
                       score=float(score))
    return graph


def slot_subgraph(graph: nx.MultiDiGraph, slot: str) -> nx.MultiDiGraph:
    """The part of the graph about one slot: its claims, their sources, values and documents."""
    claims = [u for u, _, d in graph.in_edges(slot, data=True) if d["relation"] == "about"]
    keep = {slot, *claims}
    for claim in claims:
        keep.update(graph.predecessors(claim))
        keep.update(graph.successors(claim))
    return graph.subgraph(keep).copy()


def graph_for_export(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy that GraphML (XML 1.0) can hold: no None, lists as JSON text, and the characters
    XML forbids (control characters from untrusted claim text) as U+FFFD in ids and texts."""
    clean = nx.MultiDiGraph()
    clean.add_nodes_from((_xml_text(n), _plain(d)) for n, d in graph.nodes(data=True))
    clean.add_edges_from((_xml_text(u), _xml_text(v), k, _plain(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return clean


#: Characters XML 1.0 cannot hold (control characters other than tab and line ends, lone
#: surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value):
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _plain(attributes: dict) -> dict:
    return {k: _xml_text(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict, tuple)) else v)
            for k, v in attributes.items() if v is not None}


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _text(value) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
