"""The Odoo adapter: ``OdooGateway`` (the ``ErpGateway`` port) over Odoo's external API.

``settings.OdooSettings`` -> ``rpc.OdooRpc`` (chooses a transport: ``transport_xmlrpc``,
``transport_jsonrpc`` or ``transport_json2``; shares ``limits`` per Odoo instance;
``errors`` translates failures for all of them) -> ``mapping`` (records -> canonical
``PurchaseOrder``) -> ``gateway.OdooGateway``. ``dialect`` holds the field names that
differ between Odoo 16, 17, 18 and 19.
"""
