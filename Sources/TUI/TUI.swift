// Placeholder so the TUI target builds until its first real file lands.
