"""classifier: tell genuine Chinese news from SEO spam.

Public API: load documents, train, score, evaluate, explain.
"""

from classifier.documents import Document, InputScanner, load_labeled
from classifier.evaluate import evaluate_model
from classifier.explain import explain
from classifier.model import SpamClassifier, fit_model
from classifier.persist import load_model, save_model
from classifier.scoring import score_documents
from classifier.training import train_model

__version__ = "0.1.0"

__all__ = [
    "Document",
    "InputScanner",
    "SpamClassifier",
    "evaluate_model",
    "explain",
    "fit_model",
    "load_labeled",
    "load_model",
    "save_model",
    "score_documents",
    "train_model",
    "__version__",
]
