"""The e-Office library shared by every Lambda function: domain rules, data access, models.

Shipped as the Lambda layer built from ``layers/eoffice``; installed locally with ``pip install -e``.
Modules import their heavy dependencies lazily so that each function starts fast.
"""
