"""Core: configuration, database plumbing, security, cache, errors and middleware.

What belongs here: infrastructure every other layer may lean on (settings, the async
engine and session factory, password hashing and tokens, the cache port, domain
errors). What does not: anything about users or posts. Core imports no other layer of
the app; it may use third-party libraries.
"""
