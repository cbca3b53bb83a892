"""``reconcile()``: read -> normalise (values, sources, subjects) -> score -> trust -> consensus."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .aggregate import AGGREGATES, aggregate_facts
from .arrays import without_cycle_collection
from .claims import normalize_claims
from .consensus import CONTEST_SHARE, consensus_facts
from .contract import SOURCE_COLUMNS, InputError
from .engines import DEFAULT_ENGINE, get_engine
from .events import add_history, link_events, supersede
from .extract import read_articles
from .extract.parallel import extract_articles
from .io import claims_frame, read_claims
from .resolve import read_aliases
from .result import Result
from .score import HEDGED_WEIGHT, score_claims
from .trust import DEFAULT_METHOD, get_estimator, model_choice
from .values import Taxonomy

__all__ = ["reconcile", "load_claims", "is_article_feed"]

ClaimsInput = pd.DataFrame | str | os.PathLike | Iterable[Mapping[str, Any]]


def load_claims(claims: ClaimsInput, *, published: str | None = None,
                outlet: str | None = None, jobs: int | None = 1,
                events: bool = True) -> tuple[pd.DataFrame, str | None]:
    """A validated claims table from a DataFrame, a list of dicts, or files: claim tables
    (CSV, TSV, JSONL, JSON, Parquet), news articles (``.txt``, a JSONL feed of
    ``{id, text, published, outlet, url, language}``, or a folder of them) whose claims are
    extracted first. ``published`` and ``outlet`` apply to articles that do not say; ``jobs``
    processes extract them (None: all cores).

    Returns the table and the file name used in error messages (None for in-memory input).
    """
    if isinstance(claims, pd.DataFrame):
        return claims_frame(claims), None
    items = [claims] if isinstance(claims, (str, os.PathLike)) else list(claims)
    if not items or not all(isinstance(item, (str, os.PathLike)) for item in items):
        return claims_frame(items), None
    read: list[dict] = []
    frames = [_read_input(Path(item), published, outlet, jobs, read).assign(_file=str(item)) for item in items]
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if read:  # articles: events across them (reconcile.events), or none with events=False
        frame = link_events(frame, read) if events else frame.drop(columns="event", errors="ignore")
    return frame, ", ".join(map(str, items))


def _read_input(path: Path, published: str | None, outlet: str | None, jobs: int | None = 1,
                read: list | None = None) -> pd.DataFrame:
    """One input file or folder: a claim table, or articles to extract claims from."""
    if not (path.is_dir() or path.suffix.lower() == ".txt" or is_article_feed(path)):
        return read_claims(path)
    articles = read_articles(path)
    for article in articles:
        article["published"] = article.get("published") or published
        article["outlet"] = article.get("outlet") or outlet
    claims = extract_articles(articles, jobs)
    if read is not None:
        read.extend(articles)
    if claims.empty:
        raise InputError("no claims found in the article text", file=str(path))
    return claims_frame(claims, file=str(path))


def is_article_feed(path: Path) -> bool:
    """True for a JSONL file whose first record has ``text`` but no ``predicate``."""
    if path.suffix.lower() not in (".jsonl", ".ndjson") or not path.is_file():
        return False
    with path.open("rb") as handle:
        for raw in handle:
            if raw.strip():
                try:
                    first = json.loads(raw)
                except ValueError:
                    return False  # read_claims reports the bad line
                return isinstance(first, dict) and "text" in first and "predicate" not in first
    return False


@without_cycle_collection
def reconcile(claims: ClaimsInput, method: str | None = None,
              aliases: Mapping[str, str] | str | os.PathLike | None = None, *,
              taxonomy: Taxonomy | str | os.PathLike | None = None,
              hedged_weight: float = HEDGED_WEIGHT, contest_share: float = CONTEST_SHARE,
              method_params: Mapping[str, Any] | None = None, published: str | None = None,
              outlet: str | None = None, engine: str = DEFAULT_ENGINE,
              scheduler: str | None = None, jobs: int | None = 1, events: bool = True,
              aggregate: str | None = None) -> Result:
    """Reconcile claims into consensus facts.

    ``claims``: a DataFrame, a list of dicts, or files (see :func:`load_claims`: claim tables,
    or articles whose claims are extracted first, dated ``published`` and credited to
    ``outlet`` where they do not say); tables need ``source, subject, predicate, value``. ``method``: a name from
    :data:`reconcile.trust.ESTIMATORS` (default :data:`~reconcile.trust.DEFAULT_METHOD`).
    ``aliases``: ``{alias: canonical}`` or an ``alias,canonical`` CSV; it always wins.
    ``taxonomy``: a :class:`~reconcile.values.Taxonomy` or a ``child,parent`` CSV merged into
    the built-in one. ``engine``: ``"pandas"`` (this process) or ``"dask"`` (the ``[dask]``
    extra; ``scheduler`` a Dask scheduler address, see :mod:`reconcile.engines.dask`).
    ``jobs``: processes that extract claims from articles (None: all cores). ``events``: cluster
    the articles' reports into events across outlets, count republished copies once and let a
    source's later figures supersede its own (:mod:`reconcile.events`); False pools them all.
    ``aggregate``: ``"median"`` or ``"mean"`` makes each ``number`` slot (a measurement or a
    rating, never a ``count``) of two or more sources the trust-weighted median or mean of
    their values with an interval (:mod:`reconcile.aggregate`); None keeps one claimed figure.
    """
    if not 0 < hedged_weight <= 1:
        raise ValueError("hedged_weight must be in (0, 1]")
    if not 0 < contest_share <= 1:
        raise ValueError("contest_share must be in (0, 1]")
    if aggregate is not None and aggregate not in AGGREGATES:
        raise ValueError(f"aggregate must be one of {', '.join(AGGREGATES)} or None, not {aggregate!r}")
    runner = None if engine == DEFAULT_ENGINE and scheduler is None else get_engine(engine, scheduler=scheduler)
    frame, file = load_claims(claims, published=published, outlet=outlet, jobs=jobs, events=events)
    frame, superseded = supersede(frame)  # one rule for plain and stored runs: a source's later figure votes
    tree = _taxonomy(taxonomy)
    if runner is not None:
        if aggregate is not None:
            raise ValueError("aggregate runs on the pandas engine only")
        result = runner.run(frame, file=file, aliases=read_aliases(aliases), taxonomy=tree, method=method,
                            method_params=method_params, hedged_weight=hedged_weight,
                            contest_share=contest_share)
        result.facts = add_history(result.facts, frame, superseded)
        result.claims = _with_superseded(result.claims, superseded, aliases, file)
        return result
    normalised, resolution = normalize_claims(frame, aliases=read_aliases(aliases), file=file)
    voting = frame if not superseded.empty else None  # add_history's; else released here
    del frame
    scored = score_claims(normalised, taxonomy=tree, hedged_weight=hedged_weight)
    name = method or DEFAULT_METHOD
    estimator = get_estimator(name, **dict(method_params or {})).fit(scored.problem)
    facts, stances = consensus_facts(scored, estimator.trust_, estimator.confidence_,
                                     contest_share=contest_share, hedged_weight=hedged_weight)
    if aggregate is not None:
        facts, stances = aggregate_facts(facts, stances, scored, estimator.trust_, aggregate,
                                         contest_share=contest_share, hedged_weight=hedged_weight)
    facts = add_history(facts, voting, superseded)  # a source's earlier figures: the fact's history
    claims_out = stances.drop(columns=["origin", "_line", "subject_raw", "_file"], errors="ignore")
    sources = _sources(claims_out, resolution, estimator.trust_)
    claims_out = _with_superseded(claims_out, superseded, aliases, file)
    params = {"method": name, "method_params": dict(method_params or {}),
              "hedged_weight": hedged_weight, "contest_share": contest_share, "aggregate": aggregate,
              "n_iter": int(getattr(estimator, "n_iter_", 0)), **model_choice(estimator)}
    return Result(facts=facts, claims=claims_out.reset_index(drop=True), sources=sources,
                  scored=scored, method=name, params=params)


def _with_superseded(claims: pd.DataFrame, superseded: pd.DataFrame, aliases, file) -> pd.DataFrame:
    """The claims and, after them, the superseded ones (stance ``superseded``): kept for the
    reader, out of the vote, the trust and the sources table."""
    if superseded.empty:
        return claims
    kept = normalize_claims(superseded, aliases=read_aliases(aliases), file=file)[0].assign(stance="superseded")
    kept = kept.drop(columns=["origin", "_line", "subject_raw", "_file"], errors="ignore")
    return pd.concat([claims, kept], ignore_index=True)


def _taxonomy(taxonomy: Taxonomy | str | os.PathLike | None) -> Taxonomy:
    if taxonomy is None:
        return Taxonomy.default()
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    path = Path(taxonomy)
    if not path.exists():
        raise InputError("no such taxonomy file", file=str(path))
    return Taxonomy.default().merge(Taxonomy.from_csv(path))


def _sources(claims: pd.DataFrame, resolution, trust: pd.Series) -> pd.DataFrame:
    aliases = resolution.aliases()
    names = sorted(set(claims["source"]) | set(claims["cites"].dropna()) if "cites" in claims
                   else set(claims["source"]))
    counts = claims["source"].value_counts()
    return pd.DataFrame({
        "source": names,
        "aliases": [aliases.get(n, [n]) for n in names],
        "type": [resolution.types.get(n, "unknown") for n in names],
        "trust": [float(trust[n]) if n in trust.index else np.nan for n in names],
        "claims": [int(counts.get(n, 0)) for n in names],
        "merged_because": [_merge_reasons(resolution, aliases.get(n, [n])) for n in names],
        "lookalikes": [resolution.lookalikes.get(n, []) for n in names],
    }, columns=list(SOURCE_COLUMNS) + ["claims", "merged_because", "lookalikes"])


def _merge_reasons(resolution, aliases: list) -> str | None:
    """Why a source's names were merged beyond spelling ("Selevest Mapoze: same role (mayor),
    names spelled closely ..."), or None."""
    reasons = sorted({resolution.merges[a] for a in aliases if a in resolution.merges})
    return "; ".join(reasons) or None
