"""News text to attributed claims (the claims contract).

``extract_claims(text, published, outlet, document, language)`` reads one article;
``read_articles(path)`` reads ``.txt`` files and JSONL feeds; ``extract_documents(docs)`` does many.
Word lists live in ``reconcile/data/lexicons/<language>.json``: adding a language adds a file.
"""

from .articles import read_articles
from .core import COLUMNS, EXTRACTOR, extract_claims, extract_documents
from .language import detect_language

__all__ = ["extract_claims", "extract_documents", "read_articles", "detect_language", "COLUMNS", "EXTRACTOR"]
