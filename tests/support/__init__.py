"""What the tests build, one module per thing, imported as ``from support.<module> import ...``
(``tests/`` is on ``sys.path``: ``pythonpath`` in pyproject.toml).

- ``api``: drivers of the local stack: ``Api`` (the HTTP API in-process) and its ``Answer``,
  ``QueueDriver`` and ``Intake`` (a function's SQS event source, handled on demand);
- ``organisation``: the demo's people (``NIP``) and units, fresh units, employees, acting officials;
- ``nips``: the suite's one NIP generator (``fresh_nip``);
- ``letters``: registered incoming letters; ``dispositions``: disposing them;
- ``outgoing``: outgoing letters: drafts uploaded, reviewed, signed;
- ``attendance``: sites (a unit with an office and a schedule), their staff, check-ins;
- ``tpp``: a month of attendance seeded for the TPP report, and its report runs;
- ``events``: a tap on the stack's event bus;
- ``pki``: the served test PKI (the ``pki_env`` and ``pki_knobs`` fixtures: a pytest plugin
  named in ``tests/conftest.py``) and test signing keys;
- ``pdfs``: test letters as PDFs, and what readers see of them;
- ``pades``: PAdES signing and validation by pyHanko's stock classes (the reference);
- ``hostile_pdfs``: PDFs a viewer would run something from, or that would exhaust a parser;
- ``iam_policy``: a small evaluator of the template's and the keys' policies;
- ``readme``: the README's shell blocks, as the walkthrough tests read them.
"""
