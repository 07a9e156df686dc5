"""An in-memory Odoo simulator speaking Odoo's real wire protocols, as 16, 17, 18 or 19.

Endpoints: ``POST /xmlrpc/2/common`` (version, login, authenticate), ``POST
/xmlrpc/2/object`` (execute_kw, execute), ``POST /jsonrpc`` (services common, object, db);
imitating 19 also ``POST /json/2/<model>/<method>`` (JSON-2, bearer API key) and ``GET
/web/version`` / ``/json/version`` (``json2.py``). The store keeps Odoo 17's field names;
``versions.py`` and ``wire.py`` show each version's names, states and methods to clients.

Entry points (``procurelink.adapters.odoo_sim.server``): ``create_app(seed=True,
version="17.0", db="procurelink", users=DEFAULT_USERS, clock=None)`` -> Starlette app
(``version`` "16.0" to "19.0"; the server object is ``app.state.odoo``);
``await serve(host, port, app=...)`` runs uvicorn in the caller's loop;
``with running(app) as url:`` serves on a free port in a thread (tests).

Credentials: database ``procurelink``, login ``admin``, password ``admin`` or the API key
``server.ADMIN_API_KEY``; uid 2 (uid 1 is the superuser, which cannot log in). Users given to
``create_app`` hold every group of ``access.GROUPS``; users created over the API (``res.users``
create with ``password`` and ``groups_id``) log in with that password and meet Odoo 17's
refusals for their groups (``access``: AccessError texts as a real 17 words them).
``res.users.has_group`` answers for a user's groups, implied ones included (``access.IMPLIED``).
The seeded database also has the buyer ``buyer`` / ``buyer`` ("Bea Buyer": Internal User,
Purchase / User, Inventory / User; created last, so no other seeded id moves), who signs in
to procurelink's console.

Seeded data (``seed.py``, deterministic ids; ``seed=False`` keeps only the base records):

* res.company 1 "ACME Manufacturing" (partner 1), currency EUR (res.currency 1; USD is 2).
* account.tax 1 "19% VAT" (sale) and 2 "19% Vorsteuer" (purchase, the company's default
  purchase tax): new products get tax 2 as ``supplier_taxes_id`` and order lines copy it into
  ``taxes_id``, so ``amount_total`` = ``amount_untaxed`` + ``amount_tax`` as in a real
  database with a chart of accounts (taxes excluded from the price, rounded per line).
* Plant: stock.warehouse 1 "Werk 2", code ``WH2``; incoming stock.picking.type 1
  "Werk 2: Receipts" (sequence ``IN``, receipts named ``WH2/IN/00001``..., creates lots),
  2 deliveries, 3 "Internal Transfers"; stock.location 1 "Partners", 2 "Partners/Vendors"
  (supplier), 3 "WH2" (view), 4 "WH2/Stock"; ir.model.data for
  ``stock.stock_location_suppliers``, ``stock.stock_location_stock``,
  ``mail.mail_activity_data_todo`` (mail.activity.type 1 "To-Do"; "To Do" on 16).
* Inventory detail (``move_lines.py``): assigned receipt moves get their stock.move.line(s)
  on creation (17+: reserved = demand, one per unit for serials; 16: ``reserved_uom_qty``
  = demand, ``qty_done`` 0); a move's quantity is the sum of its lines and writing it
  adjusts them; validation resolves
  lots (``lot_name`` -> stock.lot, Odoo's "You need to supply a Lot/Serial Number" error
  otherwise) and books stock.quant in internal locations per lot and package.
* uom.uom: 1 Units, 2 Dozens, 3 kg, 4 g, 5 t, 6 m, 7 L.
* Suppliers (res.partner, ``supplier_rank`` 1): 4 "Steelworks GmbH" ref ``SW-V-88120``,
  5 "Polymer Parts Ltd" ref ``PP-V-20451``, 6 "Fastener Direct Inc" ref ``FD-V-31007``.
* Products (product.product id = product.template id, storable): 1 ACME-10042 hex bolt
  M10x40 (barcode 4012345100421), 2 ACME-10043 hex nut M10, 3 ACME-10044 washer M10,
  4 ACME-10050 socket cap screw M8x25 (bought in Dozens), 5 ACME-20117 steel sheet (kg),
  6 ACME-20118 round bar (m), 7 ACME-20120 stainless sheet (kg), 8 ACME-30210 housing,
  9 ACME-30211 gear wheel, 10 ACME-30215 O-ring (bought in Dozens), 11 ACME-30220 PP
  granulate (kg), 12 ACME-40001 cutting oil (L).
* Vendor codes (product.supplierinfo): Steelworks SW-ST-S235-2 (5), SW-RB-C45-40 (6),
  SW-SS-4301-15 (7), SW-HB-M10X40-ZN (1); Polymer PP-HSG-GF30-BK (8), PP-GW-Z24-M1 (9),
  PP-OR-40X3-EPDM (10), PP-GR-PP-NAT (11); Fastener FD-933-M10X40 (1), FD-934-M10 (2),
  FD-125-M10 (3), FD-4762-M8X25 (4), FD-CO-WM (12).
* purchase.order (all delivered to WH2):

  ====  ======  ===================  =========  ==========================================
  id    name    supplier             state      lines (product x qty)
  ====  ======  ===================  =========  ==========================================
  1     P00001  Steelworks GmbH      draft      5 x 500 kg, 6 x 120 m, 1 x 2000
  2     P00002  Steelworks GmbH      purchase   7 x 250 kg; receipt WH2/IN/00001
  3     P00003  Polymer Parts Ltd    draft      8 x 200, 9 x 500, 10 x 10 Dozens
  4     P00004  Polymer Parts Ltd    draft      11 x 1000 kg
  5     P00005  Fastener Direct Inc  draft      1 x 5000, 2 x 5000, 3 x 5000, 4 x 50 Dozens
  6     P00006  Fastener Direct Inc  purchase   2 x 10000, 12 x 40 L; receipt WH2/IN/00002
  ====  ======  ===================  =========  ==========================================
"""
