"""The broker's transport: REST views, WebSocket routes and the module wiring over the domain."""
