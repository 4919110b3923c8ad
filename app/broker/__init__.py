"""Paper-trading broker: sans-I/O engine and its REST views."""
