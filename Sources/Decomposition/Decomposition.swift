// Module Decomposition.
