"""One adapter per channel, each a module with one ``send(address, message, ...) -> Delivery``:
a provider's refusal is a :class:`~eoffice.notifications.models.Delivery`, never an exception."""
