"""kiosk: a digital-skills self-assessment kiosk for public digital-inclusion services."""

__version__ = "0.1.0"
