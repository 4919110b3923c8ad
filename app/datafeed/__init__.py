"""Datafeed: bars, quotes and symbol search over app.market, with REST and UDF views."""
