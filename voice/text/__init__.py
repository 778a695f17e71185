"""Plain-English text normalisation shared by the safety rules and the check-in (pure).

May import: voice.errors.
"""
