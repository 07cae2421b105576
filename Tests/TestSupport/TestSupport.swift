// Shared test helpers: locating the default model and building small GGUF files.
