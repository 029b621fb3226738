"""Physics core: plain SI floats and numpy arrays, no units, no I/O formats, no printing."""
