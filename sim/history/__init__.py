"""Observed orbit histories: element-set and altitude-history readers, manoeuvre detection."""
