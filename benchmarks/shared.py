"""Where the development data lives: ``../shared`` beside the repository, never an absolute path.

A test or benchmark that needs a file from it calls :func:`shared_path`, which fails loudly
(``FileNotFoundError`` naming the path and what to do) when the folder is missing, so CI
without the data fails instead of skipping silently.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "SHARED", "shared_path"]

#: The repository root.
ROOT = Path(__file__).resolve().parent.parent
#: The shared development material, beside the repository.
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """``../shared/<parts>`` relative to the repository root; raises when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the tests and benchmarks read the development data from ../shared "
            "beside the repository (seeds/, data/real_articles, data/gvdb_dev, data/benchmarks)")
    return path
