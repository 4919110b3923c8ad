"""Accounts and API keys (issue 15): the key format and its check, the directory in the store,
the authentication middleware and the operator's ``python -m app accounts`` commands."""
