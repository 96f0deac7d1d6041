"""Route modules of the attendance function, one per concern."""
