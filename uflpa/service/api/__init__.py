"""The REST API under /v1: one module per resource, each a thin layer over `uflpa.service.ops`
and `uflpa.service.jobs`."""
