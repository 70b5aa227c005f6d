"""Storage adapters: where events and records are written (files now; databases later)."""
