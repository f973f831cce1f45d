// CBLAS and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
// openblas_set_num_threads is declared by OpenBLAS's cblas.h.
#include <cblas.h>
#include <lapacke.h>
