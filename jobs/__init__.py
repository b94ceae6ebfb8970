"""Reminder planning, delivery outbox and scheduling."""
