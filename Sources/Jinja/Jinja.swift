// Placeholder so the Jinja target builds until its first real file lands.
