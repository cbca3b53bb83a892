"""Consensus facts: one row per slot with value, status, confidence, support, dissent and
an explanation a fact-checker can read.

Rules:
- a candidate's consistent mass is the estimator's confidence in it and in every candidate
  that agrees with it; the value is the most specific candidate whose consistent mass is at
  least half the slot's best ("several", "at least 3" and "three" give 3; "3", "5" and
  "at least 1" give 3 or 5, contested — never the vague bound, never an average);
- a claim supports the fact when its value agrees with it (agreement > 0), dissents when it
  conflicts (< 0); a source counts once (its strongest claim), a source that cites another
  votes as that origin, a hedged claim and one whose speaker was inferred weigh less;
- ``contested`` when the trust-weighted dissent is at least ``contest_share`` of all
  support and dissent (two exact different figures from independent sources are never
  averaged), or when only sources without a track record support it against a source with
  one; ``consensus`` when two or more independent origins support it, else ``single_source``;
- ``confidence`` is the probability that the truth is consistent with the value
  (:func:`fact_probability`): the estimator picks the value and says which candidate is
  true, the sources' records say how likely the truth is among the candidates at all: each
  source's accuracy has a Beta posterior from its track record on the *other* slots under
  the estimator's beliefs (:func:`source_record`), with a prior at the sources' pooled
  accuracy; a source with no record elsewhere is unknown, and the unknown sources of a slot
  answer as one draw of a Polya urn (nothing tells them apart, so a crowd of them is one
  uncertain voice, not a hundred independent ones); the truth may also be a value nobody
  claimed.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import gammaln

from .contract import FACT_COLUMNS
from .arrays import plain_columns, runs
from .score import HEDGED_WEIGHT, ScoredClaims, claim_weights
from .trust import TruthProblem
from .trust.base import segment_normalize, segment_sum
from .timeline import INCREMENT

__all__ = ["consensus_facts", "consistent_mass", "fact_probability", "source_record", "grouped_lists",
           "format_value", "CONTEST_SHARE", "PRIOR_ACCURACY", "PRIOR_STRENGTH", "SUPPORT_SHARE"]

#: Share of weighted dissent at which a fact becomes ``contested``.
CONTEST_SHARE = 0.2
_STANCES = np.array(["dissents", "neutral", "supports"], dtype=object)
#: How many supporting (and how many dissenting) sources an explanation names.
EXPLAINED_SOURCES = 4
#: A candidate is eligible as the value when its consistent mass is at least this share
#: of the slot's best.
SUPPORT_SHARE = 0.5
#: Pseudo-claims of the Beta prior on a source's accuracy (a weak prior: two claims' worth).
PRIOR_STRENGTH = 2.0
#: The prior's mean before any source has a record (as Accu's initial accuracy): the
#: prior's mean is the pooled accuracy of the sources with a record, from this start.
PRIOR_ACCURACY = 0.8
#: Accuracies are kept inside [ACCURACY_BOUND, 1 - ACCURACY_BOUND] (finite log-odds).
ACCURACY_BOUND = 1e-3


def consensus_facts(scored: ScoredClaims, trust: pd.Series, confidence: np.ndarray, *,
                    contest_share: float = CONTEST_SHARE, hedged_weight: float = HEDGED_WEIGHT,
                    record: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Facts per slot, and the claims with their ``stance`` towards their slot's fact.

    ``trust`` is indexed by origin name; ``confidence`` is per candidate, normalised per slot
    (the estimator's ``confidence_``); ``record`` is :func:`source_record` of the whole table
    (by default of ``scored`` and ``confidence``; the Dask engine passes the sum over its
    partitions).
    """
    mass = consistent_mass(scored, confidence)
    chosen = _choose(scored, mass, confidence)
    record = source_record(scored, confidence) if record is None else record
    probability = fact_probability(scored, confidence, record)
    claims = scored.claims
    fact_candidate = chosen[claims["slot"].to_numpy()]
    agree = _agreement(scored, fact_candidate, claims["candidate"].to_numpy())
    claims = claims.assign(agreement=agree,
                           stance=pd.Series(_STANCES[np.sign(agree).astype(np.int64) + 1],
                                            index=claims.index, dtype=object))
    votes = claims.assign(
        weight=claim_weights(claims, hedged_weight) * _origin_trust(claims["origin"], trust))
    # to 9 decimals: sums over the sources' records run in another order on the Dask engine
    fact_confidence = np.round(np.minimum(1.0, consistent_mass(scored, probability)[chosen]), 9)
    # a source that speaks on another slot has a track record there
    recorded = _per_origin(claims["origin"], record["slots"], 0.0) > 1
    facts = _facts(scored, votes, chosen, fact_confidence, contest_share, recorded)
    return plain_columns(facts), plain_columns(claims.drop(columns=["slot", "candidate"]))


def source_record(scored: ScoredClaims, confidence: np.ndarray) -> pd.DataFrame:
    """Each origin's track record under the estimator's beliefs (index: origin name):
    ``seen``, the weight of its claims, ``right``, their weighted probability of being
    consistent with the truth (each claimed candidate's consistent mass), and ``slots``, how
    many slots it speaks on.  Records of disjoint sets of slots add up."""
    problem = scored.problem
    right = np.minimum(1.0, consistent_mass(scored, confidence))[problem.claim_value] * problem.claim_weight
    n = problem.n_sources
    pairs = np.sort(problem.claim_source.astype(np.int64) * max(problem.n_slots, 1) + problem.claim_slot)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs  # (source, slot) once
    return pd.DataFrame({"seen": np.bincount(problem.claim_source, problem.claim_weight, minlength=n),
                         "right": np.bincount(problem.claim_source, right, minlength=n),
                         "slots": np.bincount(pairs // max(problem.n_slots, 1), minlength=n)},
                        index=pd.Index(problem.source_names, name="origin"))


def fact_probability(scored: ScoredClaims, confidence: np.ndarray, record: pd.DataFrame) -> np.ndarray:
    """Per candidate, the probability that it is the truth.

    It is ``P(the truth is among the slot's candidates) x P(it is this one | it is among
    them)``.  The estimator judges the second (its ``confidence``, renormalised over the
    slot: it models copying, per-class accuracy, similar values); the sources' records judge
    the first, which the estimator cannot: how much evidence there is, from how many sources,
    how well known (:func:`_evidence`).  Unknown sources (no record outside the slot) are
    exchangeable, so their agreement is weaker evidence than that of as many independent
    sources: in the second factor, their votes (Accu's ``ln(n p / (1 - p))`` each, ``p`` the
    prior's mean, as an estimator counts a source it knows nothing about) are replaced by the
    Polya urn's (:func:`_evidence`), so that a crowd of them cannot outweigh a few well-known
    sources; an estimator that does not count votes so gets the same correction.
    """
    problem = scored.problem
    among, crowd, prior = _evidence(scored, confidence, record)
    n_false = _n_false(problem)[problem.value_slot]
    independent = crowd * (np.log(n_false) + np.log(prior / (1.0 - prior)))
    shift = _polya(crowd, prior, n_false) - independent
    top = np.full(problem.n_slots, -np.inf)
    np.maximum.at(top, problem.value_slot, shift)
    weighted = np.maximum(confidence, 0.0) * np.exp(shift - top[problem.value_slot])
    which = segment_normalize(weighted, problem.value_slot, problem.n_slots)
    return which * among[problem.value_slot]


def _n_false(problem: TruthProblem) -> np.ndarray:
    """Per slot, its false values: one more than its other candidates (the truth may be a
    value nobody claimed), and in a closed domain of labels at least the other labels."""
    return np.maximum(problem.slot_size, problem.slot_domain - 1).astype(float)


def _polya(said: np.ndarray, prior: float, n_false: np.ndarray) -> np.ndarray:
    """The log-evidence for a value from ``said`` exchangeable unknown sources that claim it:
    their answers are one draw of a Dirichlet-multinomial (a Polya urn) whose concentration
    is the prior, ``a = k p`` on the truth and ``b / n = k (1 - p) / n`` on each of the ``n``
    false values (``k`` = :data:`PRIOR_STRENGTH`, ``p`` the prior's mean): ``ln G(a + m) / G(a)
    - ln G(b / n + m) / G(b / n)``.  One source gets Accu's vote at ``p``, ``ln(n p / (1 - p))``;
    ``m`` agreeing get about ``(a - b / n) ln m`` more, where ``m`` independent sources would
    get ``m`` such votes."""
    a, b = PRIOR_STRENGTH * prior, PRIOR_STRENGTH * (1.0 - prior) / n_false
    return gammaln(a + said) - gammaln(a) - gammaln(b + said) + gammaln(b)


def _evidence(scored: ScoredClaims, confidence: np.ndarray,
              record: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float]:
    """``(P(the truth is among the candidates) per slot, the unknown sources' weight per
    candidate, the prior's mean)`` from the sources' records.

    A source's accuracy ``A`` has the Beta posterior of its ``record`` without the slot at
    hand (leave one slot out: a source is not vouched for by the very claim it makes), with
    :data:`PRIOR_STRENGTH` pseudo-claims at the prior's mean, the pooled accuracy of the
    sources that speak on more than one slot (with as many pseudo-claims at
    :data:`PRIOR_ACCURACY`).  A known source votes as in Accu (Dong et al.,
    VLDB 2009): ``w ln(n A / (1 - A))`` for the candidate it claims (``w`` its claim weight:
    hedged, shared between a source's candidates; ``n`` the slot's false values,
    :func:`_n_false`); the unknown sources of the slot vote together (:func:`_polya`).  Each
    value nobody claimed scores 0, and the scores are normalised over the slot's candidates
    and those values.
    """
    problem = scored.problem
    slot, weight = problem.claim_slot, problem.claim_weight
    rows = pd.Index(problem.source_names).get_indexer(record.index)
    seen, right, slots = np.zeros(problem.n_sources), np.zeros(problem.n_sources), np.zeros(problem.n_sources)
    known = rows >= 0
    seen[rows[known]] = record["seen"].to_numpy(dtype=float)[known]
    right[rows[known]] = record["right"].to_numpy(dtype=float)[known]
    slots[rows[known]] = record["slots"].to_numpy(dtype=float)[known]
    # the prior: the pooled accuracy of the sources with a record beyond one slot (an unknown
    # source says nothing about unknown sources), itself from PRIOR_ACCURACY when they are few
    established = record[record["slots"].to_numpy() > 1]
    prior = ((float(established["right"].sum()) + PRIOR_STRENGTH * PRIOR_ACCURACY)
             / (float(established["seen"].sum()) + PRIOR_STRENGTH))
    prior = min(max(prior, ACCURACY_BOUND), 1.0 - ACCURACY_BOUND)
    # the source's claims in this slot, taken out of its record
    own = np.minimum(1.0, consistent_mass(scored, confidence))[problem.claim_value] * weight
    pair = np.unique(problem.claim_source.astype(np.int64) * max(problem.n_slots, 1) + slot,
                     return_inverse=True)[1]
    other_seen = np.maximum(seen[problem.claim_source] - np.bincount(pair, weight)[pair], 0.0)
    other_right = np.clip(right[problem.claim_source] - np.bincount(pair, own)[pair], 0.0, other_seen)
    recorded = slots[problem.claim_source] > 1  # a record outside this slot
    accuracy = np.clip((PRIOR_STRENGTH * prior + other_right) / (PRIOR_STRENGTH + other_seen),
                       ACCURACY_BOUND, 1.0 - ACCURACY_BOUND)
    n_false = _n_false(problem)
    value_n_false = n_false[problem.value_slot]
    vote = np.where(recorded, weight * (np.log(value_n_false[problem.claim_value])
                                        + np.log(accuracy / (1.0 - accuracy))), 0.0)
    crowd = np.bincount(problem.claim_value, np.where(recorded, 0.0, weight), minlength=problem.n_values)
    score = np.bincount(problem.claim_value, vote, minlength=problem.n_values) + _polya(crowd, prior, value_n_false)
    top = np.zeros(problem.n_slots)  # a value nobody claimed scores 0
    np.maximum.at(top, problem.value_slot, score)
    claimed = segment_sum(np.exp(score - top[problem.value_slot]), problem.value_slot, problem.n_slots)
    unclaimed = (n_false + 1 - problem.slot_size) * np.exp(-top)
    return claimed / (claimed + unclaimed), crowd, prior


def _origin_trust(origin: pd.Series, trust: pd.Series) -> np.ndarray:
    """Per claim, the trust of its origin (the mean trust for an origin without one)."""
    return _per_origin(origin, trust, trust.mean() if len(trust) else 1.0)


def _per_origin(origin: pd.Series, values: pd.Series, missing: float) -> np.ndarray:
    """Per claim, its origin's entry in ``values`` (indexed by origin name; ``missing`` for an
    origin without one), looked up once per distinct origin."""
    codes, names = pd.factorize(origin)
    return values.reindex(np.asarray(names, dtype=object)).fillna(missing).to_numpy(dtype=float)[codes]


def consistent_mass(scored: ScoredClaims, confidence: np.ndarray) -> np.ndarray:
    """Per candidate, the confidence of all candidates consistent with it (itself included):
    the probability that the truth does not contradict it."""
    support = scored.problem.implication.tocsr().copy()
    support.data = (support.data > 0).astype(float)
    return confidence + support @ confidence


def _choose(scored: ScoredClaims, mass: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Per slot, the most specific candidate among those whose consistent mass is at least
    ``SUPPORT_SHARE`` of the slot's best; ties -> more confidence, more mass, lower code (of
    equally specific values, the one the estimator believes, not a near miss between two
    groups: 19:58 and 19:59, 48 and 49 degrees)."""
    slot = scored.candidates["slot"].to_numpy()
    best = np.zeros(len(scored.slots))
    np.maximum.at(best, slot, mass)
    eligible = mass >= SUPPORT_SHARE * best[slot] - 1e-12
    order = np.lexsort((np.arange(len(slot)), -np.round(mass, 9), -np.round(confidence, 9),
                        -scored.candidates["specificity"].to_numpy(), ~eligible, slot))
    first = np.r_[True, slot[order][1:] != slot[order][:-1]]
    return order[first]


def _agreement(scored: ScoredClaims, fact: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Agreement of each candidate with its slot's fact value (1 for the value itself)."""
    values = np.asarray(scored.problem.implication[fact, candidate]).ravel()
    return np.where(fact == candidate, 1.0, values)


def _facts(scored: ScoredClaims, votes: pd.DataFrame, chosen: np.ndarray, confidence: np.ndarray,
           contest_share: float, recorded: np.ndarray) -> pd.DataFrame:
    """The fact rows; ``confidence`` is per slot, ``recorded`` per claim (its origin has a
    track record outside the slot)."""
    n_slots = len(scored.slots)
    slot = votes["slot"].to_numpy()
    # one voice per origin and slot: its mean agreement, its strongest weight
    origin = pd.factorize(votes["origin"])[0]
    order, starts = runs(slot.astype(np.int64) * (origin.max() + 1) + origin)
    counts = np.diff(np.r_[starts, len(order)])
    agreement = np.add.reduceat(votes["agreement"].to_numpy()[order], starts) / counts
    weight = np.maximum.reduceat(votes["weight"].to_numpy()[order], starts)
    voice_slot = slot[order][starts]
    supports, dissents = agreement > 0, agreement < 0
    support_mass = np.bincount(voice_slot, weights=weight * supports, minlength=n_slots)
    dissent_mass = np.bincount(voice_slot, weights=weight * dissents, minlength=n_slots)
    n_support = np.bincount(voice_slot, weights=supports, minlength=n_slots)
    total = support_mass + dissent_mass
    known = np.maximum.reduceat(recorded[order], starts)
    known_support = np.bincount(voice_slot, weights=supports & known, minlength=n_slots)
    known_dissent = np.bincount(voice_slot, weights=dissents & known, minlength=n_slots)
    contested = ((dissent_mass > 0) & (dissent_mass >= contest_share * np.where(total > 0, total, np.inf))
                 | (n_support > 0) & (known_support == 0) & (known_dissent > 0)
                 | _exact_conflict(scored, votes, chosen, n_slots))
    status = np.select([contested, n_support >= 2], ["contested", "consensus"], "single_source")
    value = scored.candidates.iloc[chosen].reset_index(drop=True)
    # each claim takes its voice's side, so a source is never listed as both supporting and
    # dissenting (one that says both the value and another counts on neither side)
    sign = np.empty(len(votes))
    sign[order] = np.repeat(np.sign(agreement), counts)
    source = votes["source"].values  # codes (a Categorical) from normalize_claims
    cites = votes["cites"].to_numpy(dtype=object)
    cited = pd.notna(cites)

    def speakers(mask: np.ndarray) -> list[list[str]]:
        """Sources of the masked claims, and the origins they cite."""
        if not cited.any():
            return grouped_lists(slot[mask], source[mask], n_slots)
        return grouped_lists(np.r_[slot[mask], slot[mask & cited]],
                             np.r_[np.asarray(source, dtype=object)[mask], cites[mask & cited]], n_slots)

    facts = scored.slots.reset_index(drop=True).assign(
        value=value["value"].to_numpy(), value_min=value["value_min"].to_numpy(),
        value_max=value["value_max"].to_numpy(), status=status, confidence=confidence,
        sources=speakers(sign > 0), dissenting=speakers(sign < 0),
        claim_ids=grouped_lists(slot, votes["claim_id"].to_numpy(dtype=object), n_slots),
    )
    facts["explanation"] = _explanations(votes, chosen, _formatted(facts["value"]), status, sign)
    if "part" in votes and votes["part"].notna().any():
        facts = _parts_and_totals(facts, votes)
    keys = list(scored.slots.columns)
    return facts[keys + [c for c in FACT_COLUMNS if c not in keys]]


def _parts_and_totals(facts: pd.DataFrame, votes: pd.DataFrame) -> pd.DataFrame:
    """Parts set against their total (same event and predicate; the total is the slot of
    whole-event claims with the most claims). A part never dissents from the total: one
    source's parts ("11 in Dantakuri and 4 in Tsayau") that add up to at most the total are
    consistent, and the explanation says so; above it (or a single part above it) the total
    is ``contested``. Increments ("three more") are not parts of a sum."""
    part = votes.groupby("slot")["part"].first().reindex(range(len(facts)))
    slot_part = part.to_numpy(dtype=object)
    group = facts["predicate"].astype(str) + "\0" + (facts["event"].astype(str) if "event" in facts else "")
    size = facts["claim_ids"].map(len)
    facts = facts.copy()
    for _, members in facts.groupby(group, sort=True).groups.items():
        members = list(members)
        wholes = [i for i in members if pd.isna(slot_part[i])]
        parts = [i for i in members if pd.notna(slot_part[i]) and slot_part[i] != INCREMENT]
        if not wholes or not parts:
            continue
        total = max(wholes, key=lambda i: (size[i], -i))
        high = facts.at[total, "value_max"]
        listed = ", ".join(f"{facts.at[i, 'subject']} {format_value(facts.at[i, 'value'])}" for i in parts)
        sums = votes[votes["slot"].isin(parts)].groupby("origin", observed=True).apply(
            lambda rows: rows.groupby("slot")["value_min"].min().fillna(0).sum())
        over = float(sums.max()) if len(sums) else 0.0
        if pd.notna(high) and over > high:
            was = f" — {facts.at[total, 'status']}: "
            facts.at[total, "status"] = "contested"
            facts.at[total, "explanation"] = (facts.at[total, "explanation"].replace(was, " — contested: ", 1)
                                              + f"; its parts ({listed}) add up to {format_value(over)},"
                                              f" more than the total")
        else:
            facts.at[total, "explanation"] += f"; parts within the total: {listed}"
    return facts


def _exact_conflict(scored: ScoredClaims, votes: pd.DataFrame, chosen: np.ndarray, n_slots: int) -> np.ndarray:
    """Per slot, whether an exact figure conflicts with an exact fact value: two exact different
    counts from independent sources are a conflict however the sources are trusted (a smaller
    figure of a source that also gives the fact's value is a part of it: "three gendarmes" of
    "11 missing")."""
    candidates = scored.candidates
    low, high = candidates["value_min"].to_numpy(dtype=float), candidates["value_max"].to_numpy(dtype=float)
    exact = (low == high) & candidates["value_kind"].isin(("count", "number")).to_numpy() \
        & ~candidates["negated"].to_numpy(dtype=bool)
    candidate = votes["candidate"].to_numpy()
    slot = votes["slot"].to_numpy()
    agreement = votes["agreement"].to_numpy()
    voice = slot.astype(np.int64) * (len(scored.problem.source_names) + 1) + pd.factorize(votes["origin"])[0]
    part = np.isin(voice, voice[agreement > 0]) & (high[candidate] < low[chosen[slot]])
    hit = (agreement < 0) & exact[candidate] & exact[chosen[slot]] & ~part
    return np.bincount(slot[hit], minlength=n_slots) > 0


def grouped_lists(group: np.ndarray, names: np.ndarray | pd.Categorical,
                  n_groups: int) -> list[list[str]]:
    """Per group code in ``range(n_groups)``, the sorted distinct names given for it.

    >>> grouped_lists(np.array([1, 0, 1, 1]), np.array(["b", "z", "a", "b"], dtype=object), 3)
    [['z'], ['a', 'b'], []]
    """
    if len(names) == 0:
        return [[] for _ in range(n_groups)]
    if isinstance(names, pd.Categorical) and names.categories.is_monotonic_increasing:
        # codes in the names' order (see reconcile.arrays.map_distinct): integer sorts only
        size = max(len(names.categories), 1)
        pairs = np.sort(group.astype(np.int64) * size + names.codes)  # np.unique would hash: slower
        pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]
        bounds = np.searchsorted(pairs // size, np.arange(n_groups + 1)).tolist()
        items = np.asarray(names.categories, dtype=object)[pairs % size].tolist()
        return [items[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(n_groups + 1)).tolist()
    items = np.asarray(names, dtype=object)[order].tolist()
    return [sorted(set(items[a:b])) for a, b in zip(bounds[:-1], bounds[1:])]


def _explanations(votes: pd.DataFrame, chosen: np.ndarray, values: np.ndarray, status: np.ndarray,
                  side: np.ndarray, limit: int = EXPLAINED_SOURCES) -> np.ndarray:
    """One line per slot: 'value — status: A (exact) and B (several) agree; C (7) disagrees'.

    ``side`` is each claim's source's side (1 supports, -1 dissents, 0 neither: a source that
    says both). Each source is described by its claim that agrees most with the fact; at most ``limit``
    supporting and ``limit`` dissenting sources are named (the most trusted first), the rest
    counted ("and 4 more"). Built with whole-array string operations, not a loop per slot."""
    slot = votes["slot"].to_numpy()
    source_code = pd.factorize(votes["source"], sort=True)[0]
    order = np.lexsort((-votes["agreement"].to_numpy(), source_code, slot))
    pair = slot[order].astype(np.int64) * (source_code.max() + 1) + source_code[order]
    best = order[np.r_[True, pair[1:] != pair[:-1]]]
    sign = side[best]
    best, sign = best[sign != 0], sign[sign != 0]
    group = slot[best].astype(np.int64) * 2 + (sign < 0)  # (slot, side): even supports, odd dissents
    ranked = np.lexsort((source_code[best], -votes["weight"].to_numpy()[best], group))
    _, starts = runs(group[ranked])
    position = np.arange(len(ranked)) - np.repeat(starts, np.diff(np.r_[starts, len(ranked)]))
    shown_rows = position < limit
    named, position = best[ranked[shown_rows]], position[shown_rows]
    named_group = group[ranked[shown_rows]]
    n_groups = 2 * len(values)
    total = np.bincount(group, minlength=n_groups)
    shown = np.bincount(named_group, minlength=n_groups)
    more = total - shown
    exact = votes["candidate"].to_numpy()[named] == chosen[slot[named]]
    note = pc.if_else(exact, "exact", _text(votes["value_text"].values[named]))
    note = pc.binary_join_element_wise(
        note, pc.if_else(votes["hedged"].to_numpy(dtype=bool)[named], ", hedged", ""), "")
    cites = votes["cites"].to_numpy(dtype=object)[named]
    cited = pd.notna(cites)
    if cited.any():
        note = pc.if_else(cited, pc.binary_join_element_wise(note, ", citing ", _text(cites), ""), note)
    last = position == shown[named_group] - 1
    separator = pa.array(["", ", ", " and "]).take(
        np.where(position == 0, 0, np.where(last & (more[named_group] == 0), 2, 1)))
    pieces = pc.binary_join_element_wise(
        separator, _text(votes["source"].values[named]), " (", note, ")", "")
    listed = pc.binary_join(pa.ListArray.from_arrays(pa.array(np.r_[0, np.cumsum(shown)], pa.int32()),
                                                     pieces), "")
    listed = pc.binary_join_element_wise(
        listed, pc.if_else(more > 0, pc.binary_join_element_wise(
            " and ", pc.cast(pa.array(more), pa.string()), " more", ""), ""), "")
    support, dissent = listed.take(np.arange(0, n_groups, 2)), listed.take(np.arange(1, n_groups, 2))
    n_support, n_dissent = total[0::2], total[1::2]
    said = pc.if_else(n_support > 0, pc.binary_join_element_wise(
        support, pc.if_else(n_support > 1, " agree", " says so"), ""), "no source agrees")
    against = pc.if_else(n_dissent > 0, pc.binary_join_element_wise(
        dissent, pc.if_else(n_dissent == 1, " disagrees", " disagree"), ""), "no dissent")
    line = pc.binary_join_element_wise(_text(values), " — ", _text(status), ": ", said, "; ", against, "")
    return line.to_numpy(zero_copy_only=False)


def _text(cells: np.ndarray | pd.Categorical) -> pa.Array:
    """An Arrow string array of text cells (anything else as its ``str``); a categorical's
    distinct texts are converted once."""
    if isinstance(cells, pd.Categorical):
        return _text(np.asarray(cells.categories, dtype=object)).take(
            pa.array(cells.codes, mask=cells.codes < 0))
    try:
        return pa.array(cells, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return pa.array([str(cell) for cell in cells], type=pa.string())


def _formatted(values: pd.Series) -> np.ndarray:
    """:func:`format_value` once per distinct value."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    shown = np.empty(len(uniques), dtype=object)
    shown[:] = [format_value(v) for v in uniques]
    return shown[codes]


def format_value(value) -> str:
    """A value as a reader sees it (whole numbers without a trailing .0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
