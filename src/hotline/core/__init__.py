"""The kernel every domain package builds on: clocks, events, ids and errors."""
