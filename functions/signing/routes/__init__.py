"""Route modules of the signing function, one per concern."""
