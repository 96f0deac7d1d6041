"""Adding long-term validation data (``pades.add_long_term``): a revoked certificate is an error
of its own, told without a URL."""

from __future__ import annotations

import pytest
from eoffice.signing import pades, pades_models
from support.pdfs import one_page_pdf
from support.pki import PkiEnv, local_key, trusted_roots


# add_long_term: revoked is an error of its own, unreachable stays None.
def test_add_long_term_refuses_a_revoked_certificate(pki_env: PkiEnv) -> None:
    from cryptography import x509

    key = local_key(pki_env, "Dicabut Nanti")
    signed = pades.sign_pdf(one_page_pdf(), key, tsa_url=pki_env.tsa_url, visible=None)
    pki_env.pki.revoke(x509.load_der_x509_certificate(key.certificate.dump()))
    with pytest.raises(pades.CertificateUnusable) as refused:
        pades.add_long_term(signed.pdf, pades_models.LongTerm(trusted_roots(pki_env), timeout=2.0))
    assert "http" not in str(refused.value)
