"""kimsite: static news sites for Indonesia's KIM and their regency hub."""

__version__ = "0.1.0"
