"""Use cases over ports: intake, dispatch, erp_sync, approvals, queries."""
