"""Route modules of the TPP function, one per concern."""
