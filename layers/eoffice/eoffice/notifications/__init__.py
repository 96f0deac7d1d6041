"""Notifications: who is told of which domain event, through which channel, and what arrived."""
