"""Notifications: who is told of which domain event, through which channels (web push, e-mail,
WhatsApp), and what was sent."""
