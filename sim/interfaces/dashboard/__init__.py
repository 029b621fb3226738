"""The dashboard's helpers: what it computes (model) and what it draws (charts)."""
