"""The notebooks in notebooks/ run top to bottom offline and show tables and pictures.

Each notebook is a jupytext percent-format ``.py`` paired with an ``.ipynb`` (kept without
outputs); the ``.py`` is executed with nbclient in a fresh kernel. Needs nbclient, jupytext,
ipykernel and matplotlib (skipped, with the reason, without them). Deselect with
``-k 'not notebook'``.
"""

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
#: notebook -> (pictures at least, HTML outputs at least)
EXPECTED = {"01_seed_walkthrough": (3, 6), "02_bring_your_own_claims": (2, 3), "03_benchmarks": (1, 1)}


def _tools():
    for module in ("nbclient", "jupytext", "ipykernel", "matplotlib"):
        pytest.importorskip(module, reason=f"notebook tests need {module} (the notebook extra)")
    import jupytext
    import nbclient
    return jupytext, nbclient


def test_every_notebook_is_listed_and_paired():
    scripts = sorted(p.stem for p in NOTEBOOKS.glob("*.py"))
    assert scripts == sorted(EXPECTED)
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == scripts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ipynb_matches_its_py(name):
    jupytext, _ = _tools()
    script, paired = jupytext.read(NOTEBOOKS / f"{name}.py"), jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    assert [(c.cell_type, c.source) for c in script.cells] == [(c.cell_type, c.source) for c in paired.cells]
    stored = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in stored["cells"]), "keep the .ipynb without outputs"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_and_shows_tables_and_pictures(name):
    jupytext, nbclient = _tools()
    notebook = jupytext.read(NOTEBOOKS / f"{name}.py")
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    pictures = sum("image/png" in o.get("data", {}) for o in outputs)
    tables = sum("text/html" in o.get("data", {}) for o in outputs)
    least_pictures, least_tables = EXPECTED[name]
    assert pictures >= least_pictures and tables >= least_tables, (pictures, tables)
    assert not any("<script" in o.get("data", {}).get("text/html", "") for o in outputs)
