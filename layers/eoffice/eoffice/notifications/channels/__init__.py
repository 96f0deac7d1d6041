"""One adapter per notification channel, each a module with one ``send(...) -> Delivery``.

An adapter never raises for a provider's refusal: it maps the answer to a ``Delivery`` (sent, gone,
failed, rejected) so the caller decides about retries and cleanup in one place."""
