"""gonghui: a work platform for China's grassroots trade unions."""

__version__ = "0.1.0"
