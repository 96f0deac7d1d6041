"""HTTP plumbing shared by the functions that serve routes: the resolver, problem responses,
OpenAPI metadata, and the caller of the current request."""
