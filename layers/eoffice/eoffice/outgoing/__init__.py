"""Outgoing letters (surat keluar): drafts and their versions, the paraf chain, numbering at
signature, delivery to recipients, revocation and the public verification record."""
