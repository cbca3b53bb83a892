"""reconcile: source-claim reconciliation.

Claims (a source saying something about a subject) go in; consensus facts come out,
with status, confidence, support, dissent and an explanation.
"""

__version__ = "0.1.0"
