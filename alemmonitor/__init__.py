"""AlemMonitor's domain: the infusion day, the record, and everything that needs no screen."""

__version__ = "0.1.0"
