"""Version 1 of the HTTP API, mounted under `/api/v1` by `api.router`."""
