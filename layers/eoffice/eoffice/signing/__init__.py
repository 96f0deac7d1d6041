"""Electronic signature (TTE): PAdES signing with pyHanko, signing keys and their backends, and
verification. Imported only by the signing function: pyHanko never loads in the API function.

This package knows PDFs, keys and certificates, not letters: signing an outgoing letter (its
turn, number, claim and record) is :mod:`eoffice.outgoing.signing`, and through BSrE
:mod:`eoffice.outgoing.signing_by_bsre`; BSrE's HTTP client is
:mod:`eoffice.signing.backends.bsre`."""
