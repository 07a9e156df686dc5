"""Pure business rules: lifecycle, change policy, retry decisions. No I/O."""
