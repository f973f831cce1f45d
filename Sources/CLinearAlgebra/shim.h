// CBLAS and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
// openblas_set_num_threads is declared by OpenBLAS's cblas.h.
#include <cblas.h>
#include <lapacke.h>

// A spin-wait hint for busy loops: PAUSE on x86, YIELD on AArch64.
static inline void factorize_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
