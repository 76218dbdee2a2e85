"""Data, not code: protocol files, alarm limits, style sheets, icons. Located with importlib.resources."""
