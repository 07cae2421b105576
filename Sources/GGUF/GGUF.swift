// Placeholder so the GGUF target builds until its first real file lands.
