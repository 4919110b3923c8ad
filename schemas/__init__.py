"""Marshmallow schemas: the wire contract, one module per business topic."""
