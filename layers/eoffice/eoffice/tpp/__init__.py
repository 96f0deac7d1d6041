"""TPP (tambahan penghasilan pegawai): versioned deduction rule sets, disciplinary penalties, the
pure monthly computation, and the report runs that write the month's files
(docs/decisions/0013-tpp.md)."""
