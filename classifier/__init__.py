"""classifier: tell genuine Chinese news from SEO spam.

Public API: load documents, train, score, evaluate, explain. Names are imported on first use (PEP 562), so
``import classifier`` and a cold ``classifier score one.txt`` do not pay for modules they do not need.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Document": "classifier.documents",
    "InputScanner": "classifier.documents",
    "load_labeled": "classifier.documents",
    "SpamClassifier": "classifier.model",
    "fit_model": "classifier.model",
    "evaluate_model": "classifier.evaluate",
    "explain": "classifier.explain",
    "load_model": "classifier.persist",
    "save_model": "classifier.persist",
    "score_documents": "classifier.scoring",
    "train_model": "classifier.training",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
