"""Document ingestion: read files, parse structure, tables, units, deadlines and references,
store them."""
