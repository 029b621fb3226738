"""Interfaces: command line, file writers, benchmarks and dashboard helpers."""
