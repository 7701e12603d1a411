"""Adopting arch-check on an existing repository: `init`, the baseline, rule docs."""
