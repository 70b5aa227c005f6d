"""Workforce management: queueing formulas for staffing, forecasting and schedules."""
