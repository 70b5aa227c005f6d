"""Helpers shared by test packages and benchmarks: real servers started and stopped by PID."""
