"""The broker's pure domain: orders and their status table, the book, matching, netting and
P&L. Plain Python with an injected clock and price source: no aiohttp, no I/O."""
