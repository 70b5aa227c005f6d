"""The ACD: queues by tier and skill, agent states, selection strategies, overflow, callbacks."""
