"""Exception hierarchy of the library. Only ``cli.py`` turns these into messages and exit codes."""


class ClassifierError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(ClassifierError):
    """One input (a file, a JSONL line, stdin) cannot be turned into a document.

    Parameters
    ----------
    input_id : str
        The id the input would have had as a row (a path, ``path:N`` or ``stdin``).
    reason : str
        What was expected and what was found, e.g. ``"binary content (NUL bytes in the first 8192 bytes)"``.
    """

    def __init__(self, input_id: str, reason: str):
        self.input_id = input_id
        self.reason = reason
        super().__init__(f"{input_id}: {reason}")


class DatasetError(ClassifierError):
    """Labeled data for train/evaluate is missing, malformed, or has no usable documents."""


class ModelLoadError(ClassifierError):
    """A model file is missing, unsafe, corrupt, or was saved by an incompatible library version."""


class ConfigError(ClassifierError):
    """A configuration value or file is invalid."""


class InvalidParameterError(ConfigError, ValueError, TypeError):
    """A featurizer or estimator parameter is outside its allowed values (scikit-learn's error of that name
    is a ValueError and a TypeError too, so callers catching those keep working)."""
