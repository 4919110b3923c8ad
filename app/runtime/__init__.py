"""What keeps the event loop responsive: the worker thread for heavy builds, the day warmer and
the loop-lag ticker that shows whether it worked."""
