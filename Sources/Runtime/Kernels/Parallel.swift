import Dispatch

/// Splits `0..<count` into at most `threads` contiguous chunks and runs `body` on each,
/// concurrently through `DispatchQueue.concurrentPerform` when `threads > 1`.
///
/// Threading policy of the engine: a kernel either parallelizes itself with this
/// function or calls OpenBLAS, never both. OpenBLAS runs with `threads` threads
/// (set once per `run`) and is only called from the thread that runs the plan, so
/// the two pools take turns and never oversubscribe the cores.
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
