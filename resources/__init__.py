"""Data, not code: protocol files, alarm limits, style sheets; found with importlib.resources."""
