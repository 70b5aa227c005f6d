"""Reading other systems' records into Hotline's event log (today: Asterisk's queue_log).

What comes in is turned into the same typed events the engine publishes, so every
figure, report and replay works on imported days as on simulated or live ones.
"""
