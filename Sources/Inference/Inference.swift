// Placeholder so the Inference target builds until its first real file lands.
