"""The Slack adapter: mentions, DMs, threads and /faq answered by the engine (Socket Mode or HTTP)."""
