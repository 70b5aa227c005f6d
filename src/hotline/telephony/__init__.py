"""The telephony edge: the `Switch` port and its adapters (simulated; SIP later)."""
