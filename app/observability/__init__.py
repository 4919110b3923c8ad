"""Metrics, structured logs and request ids (issue 16): what an operator sees of a process."""
