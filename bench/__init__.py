"""Benchmarks for the two costs a user of the API feels: a function's cold start (how long its
handler module takes to import in a fresh interpreter) and the DynamoDB calls each request makes.

Run them with ``make bench`` (``python -m bench``); ``docs/performance.md`` explains the figures.
"""
