/// Splits `0..<count` into at most `threads` contiguous chunks and runs `body` on each,
/// concurrently on the calling thread and the `threads - 1` workers of a `WorkerPool` when
/// `threads > 1` and that pool is free, one chunk after another otherwise.
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
    func runChunk(_ chunk: Int) {
        let start = count * chunk / chunks
        let end = count * (chunk + 1) / chunks
        if start < end { body(start..<end) }
    }
    if !WorkerPool.shared(workers: threads - 1).run(chunks: chunks, runChunk) {
        for chunk in 0..<chunks { runChunk(chunk) }
    }
}
