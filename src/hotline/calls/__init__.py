"""Call handling: one call from arrival through IVR, queue, agent and survey to its end."""
