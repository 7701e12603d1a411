"""Parsing helpers: one libcst parse per file, module summaries, the project index.

The lowest layer of the linter: it knows Python, FastAPI, SQLAlchemy and Pydantic
idioms, and nothing about rules, configuration or output formats.
"""
