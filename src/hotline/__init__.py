"""Hotline: a customer-service hotline (呼叫中心) run end to end in one Python system."""

__version__ = "0.1.0"
