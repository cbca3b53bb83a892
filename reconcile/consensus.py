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

__all__ = ["consensus_facts", "consistent_mass", "format_value", "CONTEST_SHARE", "SUPPORT_SHARE"]

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
    candidates = scored.candidates
    n_slots = len(scored.slots)
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
    value = candidates.iloc[chosen].reset_index(drop=True)
    stance = votes["stance"].to_numpy()
    described = _described(votes, value)
    facts = scored.slots.reset_index(drop=True).assign(
        value=value["value"].to_numpy(), value_min=value["value_min"].to_numpy(),
        value_max=value["value_max"].to_numpy(), status=status, confidence=confidence,
        sources=_lists(votes, stance == "supports", _cited_names(votes), n_slots),
        dissenting=_lists(votes, stance == "dissents", _cited_names(votes), n_slots),
        claim_ids=_lists(votes, np.ones(len(votes), bool), votes["claim_id"].astype(str), n_slots),
    )
    facts["explanation"] = [
        _sentence(format_value(v), s, support, dissent)
        for v, s, support, dissent in zip(facts["value"], status,
                                          _lists(described, described["stance"].eq("supports").to_numpy(),
                                                 described["text"], n_slots),
                                          _lists(described, described["stance"].eq("dissents").to_numpy(),
                                                 described["text"], n_slots))]
    keys = list(scored.slots.columns)
    return facts[keys + [c for c in FACT_COLUMNS if c not in keys]]


def _cited_names(votes: pd.DataFrame) -> pd.Series:
    """A supporting claim speaks for its source and, when it cites one, for the origin."""
    cited = votes["cites"].where(votes["cites"].notna(), votes["source"]).astype(str)
    return votes["source"].astype(str).where(cited.eq(votes["source"].astype(str)),
                                             votes["source"].astype(str) + "\x00" + cited)


def _lists(frame: pd.DataFrame, mask: np.ndarray, names: pd.Series, n_slots: int) -> list[list[str]]:
    """Per slot, the sorted distinct names of the masked rows (names may hold several,
    separated by NUL)."""
    picked = pd.DataFrame({"slot": frame["slot"].to_numpy()[mask],
                           "name": names.to_numpy()[mask]})
    picked = picked.assign(name=picked["name"].str.split("\x00")).explode("name")
    picked = picked.drop_duplicates().sort_values(["slot", "name"], kind="stable")
    bounds = np.searchsorted(picked["slot"].to_numpy(), np.arange(n_slots + 1))
    items = picked["name"].tolist()
    return [items[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _described(votes: pd.DataFrame, value: pd.DataFrame) -> pd.DataFrame:
    """One phrase per slot and source: 'some sources (at least 3, hedged)'."""
    best = votes.sort_values(["slot", "source", "agreement"], ascending=[True, True, False],
                             kind="stable").drop_duplicates(["slot", "source"])
    fact_value = value["value"].map(format_value).to_numpy()[best["slot"].to_numpy()]
    exact = best["value"].map(format_value).to_numpy() == fact_value
    note = np.where(exact & (best["agreement"].to_numpy() >= 1), "exact", best["value_text"].astype(str))
    note = pd.Series(note, index=best.index) + np.where(best["hedged"].to_numpy(dtype=bool), ", hedged", "")
    note = note + ("" if best["cites"].isna().all()
                   else np.where(best["cites"].notna(), ", citing " + best["cites"].astype(str), ""))
    return pd.DataFrame({"slot": best["slot"].to_numpy(), "stance": best["stance"].to_numpy(),
                         "text": (best["source"].astype(str) + " (" + note + ")").to_numpy()})


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
