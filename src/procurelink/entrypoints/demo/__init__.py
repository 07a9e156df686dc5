"""`procurelink demo`: the whole flow in one process with the Odoo simulator and two suppliers."""
