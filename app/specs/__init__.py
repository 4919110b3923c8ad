"""The generated contract: OpenAPI and AsyncAPI documents built from the code, and `generate`."""
