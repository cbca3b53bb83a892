"""Consensus facts: one row per slot with value, status, confidence, support, dissent and
an explanation a fact-checker can read.

Rules:
- a candidate's consistent mass is the estimator's confidence in it and in every candidate
  that agrees with it; the value is the most specific candidate whose consistent mass is at
  least half the slot's best ("several", "at least 3" and "three" give 3; "3", "5" and
  "at least 1" give 3 or 5, contested — never the vague bound, never an average);
- a claim supports the fact when its value agrees with it (agreement > 0), dissents when it
  conflicts (< 0); a source counts once (its strongest claim), a source that cites another
  votes as that origin, a hedged claim weighs less;
- ``contested`` when the trust-weighted dissent is at least ``contest_share`` of all
  support and dissent (two exact different figures from independent sources are never
  averaged), ``consensus`` when two or more independent origins support it, else
  ``single_source``;
- ``confidence`` is the value's consistent mass.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from .contract import FACT_COLUMNS
from .score import HEDGED_WEIGHT, ScoredClaims

__all__ = ["consensus_facts", "consistent_mass", "grouped_lists", "format_value", "CONTEST_SHARE",
           "SUPPORT_SHARE"]

#: Share of weighted dissent at which a fact becomes ``contested``.
CONTEST_SHARE = 0.2
#: A candidate is eligible as the value when its consistent mass is at least this share
#: of the slot's best.
SUPPORT_SHARE = 0.5


def consensus_facts(scored: ScoredClaims, trust: pd.Series, confidence: np.ndarray, *,
                    contest_share: float = CONTEST_SHARE,
                    hedged_weight: float = HEDGED_WEIGHT) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts per slot, and the claims with their ``stance`` towards their slot's fact.

    ``trust`` is indexed by origin name; ``confidence`` is per candidate, normalised per slot.
    """
    mass = consistent_mass(scored, confidence)
    chosen = _choose(scored, mass, confidence)
    claims = scored.claims
    fact_candidate = chosen[claims["slot"].to_numpy()]
    agree = _agreement(scored, fact_candidate, claims["candidate"].to_numpy())
    claims = claims.assign(agreement=agree,
                           stance=np.select([agree > 0, agree < 0], ["supports", "dissents"], "neutral"))
    votes = claims.assign(
        weight=np.where(claims["hedged"].to_numpy(dtype=bool), hedged_weight, 1.0)
        * claims["origin"].map(trust).fillna(trust.mean() if len(trust) else 1.0).to_numpy())
    facts = _facts(scored, votes, chosen, np.minimum(1.0, mass[chosen]), contest_share)
    return facts, claims.drop(columns=["slot", "candidate"])


def consistent_mass(scored: ScoredClaims, confidence: np.ndarray) -> np.ndarray:
    """Per candidate, the confidence of all candidates consistent with it (itself included):
    the probability that the truth does not contradict it."""
    support = scored.problem.implication.tocsr().copy()
    support.data = (support.data > 0).astype(float)
    return confidence + support @ confidence


def _choose(scored: ScoredClaims, mass: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Per slot, the most specific candidate among those whose consistent mass is at least
    ``SUPPORT_SHARE`` of the slot's best; ties -> more mass, more confidence, lower code."""
    slot = scored.candidates["slot"].to_numpy()
    best = np.zeros(len(scored.slots))
    np.maximum.at(best, slot, mass)
    eligible = mass >= SUPPORT_SHARE * best[slot] - 1e-12
    order = np.lexsort((np.arange(len(slot)), -np.round(confidence, 9), -np.round(mass, 9),
                        -scored.candidates["specificity"].to_numpy(), ~eligible, slot))
    first = np.r_[True, slot[order][1:] != slot[order][:-1]]
    return order[first]


def _agreement(scored: ScoredClaims, fact: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Agreement of each candidate with its slot's fact value (1 for the value itself)."""
    values = np.asarray(scored.problem.implication[fact, candidate]).ravel()
    return np.where(fact == candidate, 1.0, values)


def _facts(scored: ScoredClaims, votes: pd.DataFrame, chosen: np.ndarray, confidence: np.ndarray,
           contest_share: float) -> pd.DataFrame:
    """The fact rows; ``confidence`` is per slot."""
    n_slots = len(scored.slots)
    slot = votes["slot"].to_numpy()
    # one voice per origin and slot: its mean agreement, its strongest weight
    voices = votes.groupby(["slot", "origin"], sort=False).agg(
        agreement=("agreement", "mean"), weight=("weight", "max"))
    voice_slot = voices.index.get_level_values("slot").to_numpy()
    supports = voices["agreement"].to_numpy() > 0
    dissents = voices["agreement"].to_numpy() < 0
    weight = voices["weight"].to_numpy()
    support_mass = np.bincount(voice_slot, weights=weight * supports, minlength=n_slots)
    dissent_mass = np.bincount(voice_slot, weights=weight * dissents, minlength=n_slots)
    n_support = np.bincount(voice_slot, weights=supports, minlength=n_slots)
    total = support_mass + dissent_mass
    contested = (dissent_mass > 0) & (dissent_mass >= contest_share * np.where(total > 0, total, np.inf))
    status = np.select([contested, n_support >= 2], ["contested", "consensus"], "single_source")
    value = scored.candidates.iloc[chosen].reset_index(drop=True)
    stance = votes["stance"].to_numpy()
    source = votes["source"].to_numpy(dtype=object)
    cites = votes["cites"].to_numpy(dtype=object)
    cited = pd.notna(cites)

    def speakers(mask: np.ndarray) -> list[list[str]]:
        """Sources of the masked claims, and the origins they cite."""
        return grouped_lists(np.r_[slot[mask], slot[mask & cited]],
                             np.r_[source[mask], cites[mask & cited]], n_slots)

    phrase_slot, phrase_stance, phrase = _phrases(votes, chosen)
    facts = scored.slots.reset_index(drop=True).assign(
        value=value["value"].to_numpy(), value_min=value["value_min"].to_numpy(),
        value_max=value["value_max"].to_numpy(), status=status, confidence=confidence,
        sources=speakers(stance == "supports"), dissenting=speakers(stance == "dissents"),
        claim_ids=grouped_lists(slot, votes["claim_id"].to_numpy(dtype=object), n_slots),
    )
    shown = _formatted(facts["value"])
    facts["explanation"] = [
        _sentence(v, s, support, dissent) for v, s, support, dissent in zip(
            shown, status,
            grouped_lists(phrase_slot[phrase_stance == "supports"], phrase[phrase_stance == "supports"], n_slots),
            grouped_lists(phrase_slot[phrase_stance == "dissents"], phrase[phrase_stance == "dissents"], n_slots))]
    keys = list(scored.slots.columns)
    return facts[keys + [c for c in FACT_COLUMNS if c not in keys]]


def grouped_lists(group: np.ndarray, names: np.ndarray, n_groups: int) -> list[list[str]]:
    """Per group code in ``range(n_groups)``, the sorted distinct names given for it.

    >>> grouped_lists(np.array([1, 0, 1, 1]), np.array(["b", "z", "a", "b"], dtype=object), 3)
    [['z'], ['a', 'b'], []]
    """
    if len(names) == 0:
        return [[] for _ in range(n_groups)]
    codes, uniques = pd.factorize(names)
    uniques = np.asarray(uniques, dtype=object)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(uniques.astype(str), kind="stable")] = np.arange(len(uniques))
    pairs = np.sort(group.astype(np.int64) * len(uniques) + rank[codes])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
    bounds = np.searchsorted(pairs // len(uniques), np.arange(n_groups + 1))
    by_rank = np.empty(len(uniques), dtype=object)
    by_rank[rank] = uniques
    items = by_rank[pairs % len(uniques)].tolist()
    return [items[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _phrases(votes: pd.DataFrame, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One phrase per slot and source, from its claim that agrees most with the fact:
    'some sources (at least 3, hedged)', 'Russian Reconciliation Center for Syria (exact)'."""
    slot = votes["slot"].to_numpy()
    source_code = pd.factorize(votes["source"])[0]
    order = np.lexsort((-votes["agreement"].to_numpy(), source_code, slot))
    pair = slot[order].astype(np.int64) * (source_code.max() + 1) + source_code[order]
    best = order[np.r_[True, pair[1:] != pair[:-1]]]
    exact = votes["candidate"].to_numpy()[best] == chosen[slot[best]]
    note = np.where(exact, "exact", votes["value_text"].to_numpy(dtype=object)[best])
    note = note + np.where(votes["hedged"].to_numpy(dtype=bool)[best], ", hedged", "")
    cites = votes["cites"].to_numpy(dtype=object)[best]
    cited = pd.notna(cites)
    if cited.any():
        note[cited] = note[cited] + ", citing " + cites[cited].astype(str)
    phrase = votes["source"].to_numpy(dtype=object)[best] + " (" + note + ")"
    return slot[best], votes["stance"].to_numpy()[best], phrase


def _formatted(values: pd.Series) -> list[str]:
    """:func:`format_value` once per distinct value."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    shown = [format_value(v) for v in uniques]
    return [shown[c] for c in codes]


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _sentence(value: str, status: str, support: list[str], dissent: list[str]) -> str:
    """'3 — consensus: A (exact) and B (several) agree; no dissent'."""
    said = f"{_join(support)} {'agree' if len(support) > 1 else 'says so'}" if support else "no source agrees"
    disagreement = f"{_join(dissent)} disagree{'s' if len(dissent) == 1 else ''}" if dissent else "no dissent"
    return f"{value} — {status}: {said}; {disagreement}"


def format_value(value) -> str:
    """A value as a reader sees it (whole numbers without a trailing .0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
