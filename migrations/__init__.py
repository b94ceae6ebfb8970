"""Alembic schema migrations of every table; `migrations.runner` applies them (start-up, CLI)."""
