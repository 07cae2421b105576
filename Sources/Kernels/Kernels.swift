// Placeholder so the Kernels target builds until its first real file lands.
