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
# # Bring your own claims
#
# You have a table of who said what — from your own reading, a spreadsheet, another tool.
# This notebook reconciles it: an alias table for sources written several ways, a choice of
# trust estimator, and every export (tables, report, ClaimReview, PROV, graph). It also reads
# fact-checks in ClaimReview / Fact Check Tools JSON as claims.

# %%
# %matplotlib inline
import io
import json
import tempfile
from pathlib import Path

import pandas as pd

import reconcile
from reconcile.exchange import read_claimreview, validate_claimreview, validate_prov
from reconcile.trust import ESTIMATORS

ROOT = Path.cwd() if (Path.cwd() / "data").is_dir() else Path.cwd().parent
OUT = Path(tempfile.mkdtemp(prefix="reconcile-"))

# %% [markdown]
# ## 1. A claims CSV of your own
# Only `source, subject, predicate, value` are required; values may be written as text
# ("dozens", "at least 40", "about 8,000"). `hedged` marks "initial reports", `cites` the
# source a source quotes, `evidence` the sentence.

# %%
CSV = """source,subject,predicate,value,hedged,cites,reported_at,document,evidence
AFP,flood victims,killed,at least 40,false,,2024-05-02,afp-1,"At least 40 people were killed in the floods, AFP reported."
Agence France-Presse,flood victims,killed,42,false,,2024-05-03,afp-2,"The toll rose to 42, Agence France-Presse said."
Governor's office,flood victims,killed,42,false,,2024-05-03,gov,"Forty-two people died, the governor's office said."
Local TV,flood victims,killed,dozens,true,,2024-05-02,tv,"Dozens are feared dead, according to initial reports."
Daily Courier,flood victims,killed,42,false,Governor's office,2024-05-03,courier,"Citing the governor's office, the Courier put the toll at 42."
Rescue NGO,flood victims,killed,65,false,,2024-05-03,ngo,"The NGO said 65 bodies had been recovered."
AFP,flood,location,Rio Grande do Sul,false,,2024-05-02,afp-1,"The floods hit Rio Grande do Sul."
Rescue NGO,flood,location,Porto Alegre,false,,2024-05-03,ngo,"Rescuers worked in Porto Alegre."
Governor's office,evacuees,count,about 8000,false,,2024-05-03,gov,"About 8,000 people were evacuated."
Local TV,evacuees,count,"more than 10,000",false,,2024-05-03,tv,"More than 10,000 left their homes."
"""
(OUT / "claims.csv").write_text(CSV, encoding="utf-8")
pd.read_csv(io.StringIO(CSV))

# %% [markdown]
# ## 2. An alias table and a place hierarchy
# "AFP" and "Agence France-Presse" are one source: it counts once. The alias table (CSV
# `alias,canonical`) always wins over automatic matching. A `child,parent` table extends the
# built-in hierarchy: Porto Alegre lies in Rio Grande do Sul, so the two places agree.
# The Daily Courier cites the governor's office: it votes with it, not as a second witness.

# %%
(OUT / "aliases.csv").write_text("alias,canonical\nAgence France-Presse,AFP\n", encoding="utf-8")
(OUT / "places.csv").write_text("child,parent\nPorto Alegre,Rio Grande do Sul\n", encoding="utf-8")
claims = pd.read_csv(OUT / "claims.csv")  # a path works too: reconcile.reconcile(OUT / "claims.csv")
OPTIONS = {"aliases": OUT / "aliases.csv", "taxonomy": OUT / "places.csv"}
result = reconcile.reconcile(claims, **OPTIONS)
result

# %%
result.sources

# %% [markdown]
# ## 3. Choice of method
# Each estimator learns source trust differently (TruthFinder, Sums, Investment, CRH, Accu, …).
# Here is each one's answer for every fact:

# %%
answers = {}
for name in sorted(n for n in ESTIMATORS if n != "default"):
    facts = reconcile.reconcile(claims, method=name, **OPTIONS).facts
    answers[name] = [f"{v} ({s}, {c:.2f})" for v, s, c in zip(facts["value"], facts["status"], facts["confidence"])]
pd.DataFrame(answers, index=facts["subject"] + " / " + facts["predicate"]).T

# %%
result.plot("flood victims / killed")

# %%
result.plot_trust()

# %% [markdown]
# ## 4. Export
# Tables (CSV, JSON), the self-contained HTML report and its Markdown twin, ClaimReview
# JSON-LD (our confidence in `reconcile:` fields, never in `reviewRating`), W3C PROV-JSON of
# the run, GraphML and node-link JSON of the graph.

# %%
inputs = [OUT / "claims.csv", OUT / "aliases.csv", OUT / "places.csv"]
result.to_csv(OUT / "tables")
result.to_json(OUT / "result.json")
result.to_html(OUT / "report.html", inputs=inputs, title="Floods: who said what")
result.to_markdown(OUT / "report.md", inputs=inputs)
claimreview = result.to_claimreview(OUT / "claimreview.jsonld", reviewer="Our desk")
prov = result.to_prov(OUT / "prov.json", inputs=inputs)
result.to_graphml(OUT / "graph.graphml")
result.to_node_link(OUT / "graph.json")
assert validate_claimreview(claimreview) == [] and validate_prov(prov) == []
pd.DataFrame([(str(p.relative_to(OUT)), p.stat().st_size) for p in sorted(OUT.rglob("*")) if p.is_file()],
             columns=["file", "bytes"])

# %%
print(json.dumps(claimreview["@graph"][0], indent=1, ensure_ascii=False)[:1200])

# %% [markdown]
# ## 5. Fact-checks as claims
# A Fact Check Tools `claims:search` response (or ClaimReview JSON-LD from fact-checkers'
# pages) reads as claims: each review is its publisher saying the claim has a rating, so the
# publishers' ratings are reconciled like any other claims.

# %%
checks = read_claimreview(ROOT / "data" / "exchange" / "factcheck_search.json")
checks[["source", "subject", "value", "reported_at", "document"]]

# %%
reconcile.reconcile(checks)
