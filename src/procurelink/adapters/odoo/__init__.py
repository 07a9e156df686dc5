"""The Odoo adapter: ``OdooGateway`` (the ``ErpGateway`` port) over Odoo's XML-RPC API.

``settings.OdooSettings`` -> ``rpc.OdooRpc`` (async XML-RPC on httpx, error translation) ->
``mapping`` (records -> canonical ``PurchaseOrder``) -> ``gateway.OdooGateway``.
Targets Odoo 17 field names (``product_uom``, ``notes``, state ``done``...).
"""
