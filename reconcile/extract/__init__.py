"""News text to attributed claims (the claims contract).

``extract_claims(text, published, outlet, document, language)`` reads one article;
``read_articles(path)`` reads ``.txt`` files and JSONL feeds; ``extract_documents(docs)`` does many.

The pipeline per article: sentences and quotes with offsets (:mod:`.sentences`), the speaker of
each sentence, clause, quote and embedded tweet with one name per speaker (:mod:`.attribution`),
count mentions tied to a predicate and subject (:mod:`.quantities`), event types, times, dates and
places (:mod:`.events`), the language of each sentence (:mod:`.language`); values are normalised
by :func:`reconcile.values.parse_value`.

Word lists live in ``reconcile/data/lexicons/<language>.json`` (reporting verbs, count predicates
with the words after and before a number, tolls, hedges, denials, event types, roles, stopwords):
adding a language adds a file.
"""

from .articles import read_articles
from .core import COLUMNS, EXTRACTOR, extract_claims, extract_documents
from .language import detect_language

__all__ = ["extract_claims", "extract_documents", "read_articles", "detect_language", "COLUMNS", "EXTRACTOR"]
