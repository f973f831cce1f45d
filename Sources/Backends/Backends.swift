// Module Backends.
