"""Incoming letters: registration, files, agenda numbers, visibility and history."""
