"""arch-check."""
