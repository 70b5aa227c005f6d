"""外呼: outbound campaigns, pacing and SMS."""
