"""reconcile: source-claim reconciliation.

Claims (a source saying something about a subject) go in; consensus facts come out, with
status, confidence, support, dissent and an explanation.

>>> import reconcile
>>> result = reconcile.reconcile([
...     {"source": "Röpcke", "subject": "Russian soldiers", "predicate": "wounded", "value": "several"},
...     {"source": "the Center", "subject": "Russian servicemen", "predicate": "wounded", "value": "three"},
... ])
>>> result.facts[["subject", "predicate", "value", "status"]].values.tolist()
[['russian soldiers', 'wounded', 3, 'consensus']]
"""

from . import trust
from .contract import InputError, ReconcileError
from .extract import extract_claims
from .pipeline import reconcile
from .result import Result

__version__ = "0.1.0"
__all__ = ["reconcile", "extract_claims", "Result", "InputError", "ReconcileError", "trust", "__version__"]
