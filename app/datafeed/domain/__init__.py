"""The datafeed's domain: symbols, bars and quotes answered from app.market, no transport."""
