"""Disposisi: routing a registered letter down the organisation as assignments with
instructions, deadlines, read receipts and reports, forming a tree per letter."""
