"""The shipped default model (installed as classifier.shipped_models); see MODEL_CARD.md."""
