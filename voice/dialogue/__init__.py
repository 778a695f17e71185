"""Dialogue: prompt building and sentence splitting (pure) and language-model adapters."""
