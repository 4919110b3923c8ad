"""Trader Pro backend application."""
