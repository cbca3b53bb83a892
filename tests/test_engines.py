"""The engine registry: names, and a clear message when an optional backend is missing."""

from __future__ import annotations

import sys

import pytest

from reconcile.contract import ReconcileError
from reconcile.engines import ENGINES, get_engine


def test_registry_names_pandas_and_dask():
    assert ENGINES == ("pandas", "dask")
    assert get_engine().name == "pandas"
    with pytest.raises(ReconcileError, match="need --engine dask"):
        get_engine("pandas", scheduler="tcp://127.0.0.1:8786")


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.dataframe", None)   # import fails as if not installed
    with pytest.raises(ReconcileError, match=r"\[dask\] extra"):
        get_engine("dask")
