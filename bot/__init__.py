"""Trợ lý CCHC: settings, wiring, CLI and channel adapters (the composition root)."""
