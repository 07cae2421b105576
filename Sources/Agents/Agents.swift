// Placeholder so the Agents target builds until its first real file lands.
