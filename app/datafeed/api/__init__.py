"""The datafeed's transport: REST, TradingView UDF and WebSocket routes, and the module wiring."""
