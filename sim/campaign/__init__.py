"""Scenarios and campaigns: the YAML schema (units parsed here), station operations, results."""
