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
# # How accurate are the estimators?
#
# Two measurements: synthetic claims with a known truth (`benchmarks/synthetic.py`: sources of
# known accuracy, a popular wrong value per slot, optionally copiers of a bad source), and a
# real truth-discovery benchmark with gold answers (`reconcile.datasets`, scored by
# `benchmarks.accuracy`) when its data is present. Small sizes, so it runs in seconds.

# %%
# %matplotlib inline
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

ROOT = Path.cwd() if (Path.cwd() / "benchmarks").is_dir() else Path.cwd().parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import evaluate, generate
from reconcile.trust import ESTIMATORS

warnings.simplefilter("ignore")
METHODS = [n for n in ESTIMATORS if n not in ("default", "dawid_skene")]  # dawid_skene: closed label domains only

# %% [markdown]
# ## 1. Synthetic claims
# 20,000 claims by 200 sources, three seeds; then the same with five copiers repeating a bad,
# very active source. `accuracy`: share of slots whose winner is the truth; `ece`: expected
# calibration error of the winner's confidence (lower is better).

# %%
tables = []
for copiers in (0, 5):
    for seed in (0, 1, 2):
        claims, truth = generate(20_000, seed=seed, copiers=copiers)
        tables.append(evaluate(claims, truth, METHODS).assign(copiers=copiers, seed=seed))
synthetic = (pd.concat(tables).groupby(["copiers", "method"], sort=False)
             [["accuracy", "ece", "brier", "seconds"]].mean().round(3))
synthetic.unstack("copiers")

# %%
pivot = synthetic["accuracy"].unstack("copiers").loc[METHODS]
axes = pivot.plot.barh(figsize=(7, 4), xlim=(0, 1), title="synthetic: accuracy by method")
axes.set_xlabel("accuracy (mean of 3 seeds)")
axes.legend(title="copiers")
axes.invert_yaxis()
plt.show()

# %% [markdown]
# ## 2. A real benchmark with gold answers
# `heritages` (Jung, Kim & Shim, EDBT 2019): where world-heritage sites are, values on a place
# hierarchy. The claims go once through the engine; then each estimator answers every slot,
# and the plain majority vote is the baseline. Skipped, with the reason, when the data or the
# harness is not here.

# %%
try:
    from benchmarks import accuracy
    from reconcile.datasets import DatasetUnavailable

    prepared = accuracy.prepare("heritages")
except (ImportError, DatasetUnavailable, FileNotFoundError) as error:
    prepared = None
    print(f"real benchmark skipped: {type(error).__name__}: {error}")

# %%
if prepared is not None:
    rows = []
    answers, seconds = accuracy.run_vote(prepared)
    rows.append({"method": "vote (baseline)", "accuracy": accuracy.score_answers(prepared, answers)[0],
                 "seconds": seconds})
    for name in METHODS:
        answers, seconds = accuracy.run_ours(prepared, name)
        rows.append({"method": name, "accuracy": accuracy.score_answers(prepared, answers)[0], "seconds": seconds})
    real = pd.DataFrame(rows).set_index("method").round(3)
    print(f"{len(prepared.bench.claims):,} claims, {len(prepared.gold):,} gold items")
    display(real)
    axes = real["accuracy"].plot.barh(figsize=(7, 4), xlim=(0, 1), title="heritages: accuracy by method")
    axes.invert_yaxis()
    plt.show()
