"""Conversation state tables (filled in by the conversation issue)."""
