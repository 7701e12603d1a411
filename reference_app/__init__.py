"""Reference FastAPI backend."""
