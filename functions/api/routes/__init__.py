"""One router per domain; app.py includes them all."""
