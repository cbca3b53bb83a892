# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The seed story, from text to facts
#
# A news story about a car bombing in Idlib (14 July 2020) names four sources. Here we
# extract who said what, reconcile the claims into facts, look at the graph of sources and
# claims, read why each fact is believed, and ask what changes without one source.
# Everything runs offline.

# %%
# %matplotlib inline
from pathlib import Path

import pandas as pd

import reconcile
from reconcile.display import explain
from reconcile.whatif import compare_facts, distrust, without

ROOT = Path.cwd() if (Path.cwd() / "data").is_dir() else Path.cwd().parent
pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## 1. Paste the story
# Any article text will do; here it is the seed story shipped with the repository.

# %%
story = (ROOT / "data" / "seed.txt").read_text(encoding="utf-8")
print(story[:600], "…")

# %% [markdown]
# ## 2. Who said what: the claims
# The extractor finds attributed claims: the source (as written and canonical), what it is
# about (subject and predicate), the value as written, hedges, and the sentence.

# %%
try:
    from reconcile.extract import extract_claims
    claims = extract_claims(story, published="2020-07-14", outlet="seed", document="seed.txt")
except ImportError:  # the extractor is optional here: fall back to the hand-made table
    claims = pd.read_csv(ROOT / "data" / "seed_claims.csv")
claims[["source", "subject", "predicate", "value_text", "hedged", "evidence"]]

# %% [markdown]
# ## 3. Reconcile
# One fact per slot (subject + predicate), contested facts first, with status, confidence,
# supporting and dissenting sources; the sources with the trust the estimator learned.

# %%
result = reconcile.reconcile(claims)
result

# %% [markdown]
# ## 4. The picture: sources → claims → values
# Node size is a source's trust; a claim's colour its stance towards the fact; green arcs join
# values that agree (a car bomb is an improvised explosive device; "several" and "three"),
# red dashed arcs values that conflict.

# %%
result.plot()

# %% [markdown]
# One slot at a time:

# %%
result.plot("russian soldiers / wounded")

# %% [markdown]
# ## 5. Each fact, why it is believed, and the evidence
# The sentences with the value marked; ✔ supports the fact, ✘ dissents, · neither.

# %%
explain(result)

# %% [markdown]
# Or one fact: `explain(result, "russian soldiers", "wounded")`.

# %% [markdown]
# ## 6. How far each source is trusted

# %%
result.plot_trust()

# %%
result.sources

# %% [markdown]
# ## 7. What if… the Center were left out, or trusted less?
# The Russian Reconciliation Center gave the only exact wounded count and the time of the
# blast. Without it, the table below lists every fact whose value, status or confidence
# changes (`change`), and the facts that only the Center reported are `gone`.

# %%
center = "Russian Reconciliation Center for Syria"
without_center = reconcile.reconcile(without(result.claims, [center]))
compare_facts(result, without_center)

# %% [markdown]
# Distrusting the Center instead (its claims weigh half, like hedged ones) keeps its facts;
# what moves is mostly the confidence:

# %%
compare_facts(result, reconcile.reconcile(distrust(result.claims, [center])))

# %% [markdown]
# ## 8. Hand it on
# The same result as a self-contained HTML report, ClaimReview JSON-LD and PROV-JSON — see
# `02_bring_your_own_claims` for every export.

# %%
html = result.to_html(title="Idlib car bombing, 14 July 2020")
print(f"{len(html):,} characters of HTML, no scripts: {'<script' not in html}")
