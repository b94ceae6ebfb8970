"""The domain: documents, units, tasks, deadlines; ingestion, search and answers. No chat I/O."""
