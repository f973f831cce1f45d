import Dispatch

/// Splits `0..<count` into at most `threads` contiguous chunks and runs `body` on each,
/// concurrently through `DispatchQueue.concurrentPerform` when `threads > 1`.
///
/// Threading policy of the engine: all parallel work, GEMMs included, runs through this
/// function on at most `threads` threads. OpenBLAS is kept single-threaded (set once per
/// `run`) and `parallelGemm` splits each GEMM across these threads instead, so no second
/// thread pool competes for the cores.
@inline(__always)
func parallelFor(_ count: Int, threads: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = min(threads, max(1, count / max(1, minimumChunk)))
    if chunks <= 1 || count <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = count * chunk / chunks
            let end = count * (chunk + 1) / chunks
            if start < end { body(start..<end) }
        }
    }
}
