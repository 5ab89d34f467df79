"""gongdan: work orders of a water-supply group, run by the standard."""

__version__ = "0.1.0"
