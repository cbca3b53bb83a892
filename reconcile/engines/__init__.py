"""Execution engines: the same algorithms (normalise, score, trust, consensus) run in this
process on pandas, or on partitions of a Dask DataFrame on a cluster (``engine="dask"``, the
``[dask]`` extra, imported only when asked for).

>>> get_engine("pandas")
PandasEngine()
>>> get_engine("spark")
Traceback (most recent call last):
...
reconcile.contract.ReconcileError: unknown engine 'spark'; known: dask, pandas
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from ..contract import ReconcileError

__all__ = ["ENGINES", "DEFAULT_ENGINE", "PandasEngine", "get_engine", "add_engine_options"]

#: The engine names ``--engine`` accepts.
ENGINES: tuple[str, ...] = ("pandas", "dask")
DEFAULT_ENGINE = "pandas"


class PandasEngine:
    """Everything in this process on pandas and numpy (the reference engine)."""

    name = "pandas"

    def __repr__(self) -> str:
        return "PandasEngine()"

    def run(self, frame: pd.DataFrame, *, file: str | None = None, **options: Any):
        """:func:`reconcile.reconcile` on a claims table; the options are the Dask engine's
        (``aliases``, ``taxonomy``, ``method``, ``method_params``, ``hedged_weight``,
        ``contest_share``)."""
        from ..pipeline import reconcile
        return reconcile(frame, **options)


def get_engine(name: str = DEFAULT_ENGINE, *, scheduler: str | None = None, **options: Any):
    """The engine called ``name``; ``scheduler`` (a Dask scheduler address such as
    ``tcp://host:8786``) and ``options`` go to the Dask engine.  A missing optional backend
    raises :class:`ReconcileError` naming the extra to install."""
    if name == "pandas":
        if scheduler or options:
            raise ReconcileError("--scheduler and engine options need --engine dask")
        return PandasEngine()
    if name == "dask":
        from .dask import DaskEngine, require_dask
        require_dask()
        return DaskEngine(scheduler=scheduler, **options)
    raise ReconcileError(f"unknown engine {name!r}; known: {', '.join(sorted(ENGINES))}")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine`` and ``--scheduler`` for ``reconcile run``."""
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                        help="pandas: this process; dask: slot partitions on a Dask cluster "
                             "(the [dask] extra)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the scheduler, e.g. tcp://host:8786 "
                             "(default: threads in this process)")
