"""Electronic signature (TTE): PAdES signing with pyHanko, signing keys and their backends, and
verification. Imported only by the signing function: pyHanko never loads in the API function."""
