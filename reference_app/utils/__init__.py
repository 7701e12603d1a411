"""Utils: small pure helpers (time, text) with no knowledge of the app.

Utils imports no other layer of the app, so every layer may import it.
"""
