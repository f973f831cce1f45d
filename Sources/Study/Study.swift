// Module Study.
