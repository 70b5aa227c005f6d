"""Real telephony: Hotline as a SIP endpoint (sippy signalling, our own RTP) behind Kamailio."""
