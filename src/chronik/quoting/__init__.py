"""Quotes: direct, indirect and mixed reported speech, attributed to speakers."""
