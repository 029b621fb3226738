"""References the physics is checked against (hapsira's Cowell propagator). The only package
code allowed to import hapsira."""
