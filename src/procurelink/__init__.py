"""procurelink: middleware between Odoo and a manufacturer's suppliers, carriers and plants."""

__version__ = "0.1.0"
