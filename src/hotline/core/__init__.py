"""The kernel every domain package builds on: clocks, the business calendar, events, ids
and errors."""
