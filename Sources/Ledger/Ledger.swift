// Placeholder so the Ledger target builds until its first real file lands.
