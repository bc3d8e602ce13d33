"""The uflpa service: a REST API under /v1 and a server-rendered web interface, over the same run
loops and list store as the CLI (`uflpa serve`). See docs/service.md."""
