"""`arch-check fuzz`: schemathesis against an in-process ASGI app.

Nothing here is imported by the linter; `checks.cli` dispatches to
`checks.fuzz.cli.main` lazily so the linter never pays for schemathesis.
"""
