// Module Training.
