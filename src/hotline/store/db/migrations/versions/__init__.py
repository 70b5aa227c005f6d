"""Migration scripts, oldest first; each names its predecessor in `down_revision`."""
