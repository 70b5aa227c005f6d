"""The simulator: scenarios, synthetic callers and agents, runs on the virtual clock."""
