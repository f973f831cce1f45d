import CLinearAlgebra
import Foundation
import Synchronization

/// A fixed set of worker threads that, together with the calling thread, run the chunks of
/// one parallel loop at a time.
///
/// Chunks go to threads statically: the caller runs chunks 0, n, 2n, …, worker `w` runs
/// chunks w + 1, w + 1 + n, … (n = workers + 1). Consecutive layers split their work the same
/// way, so a thread tends to read the part of the activations that it wrote itself.
///
/// An inference run starts a few hundred short parallel loops (im2col tiles, GEMM blocks,
/// epilogues), each lasting tens of microseconds to a few milliseconds. Waking a parked
/// thread for each loop costs about as much as the loop itself, so after a loop the workers
/// spin on the job counter for a few milliseconds before they sleep on a condition.
///
/// A loop runs in the pool only when the pool is free: a loop started while another one runs
/// (a nested loop, or a second session on another thread) runs on the calling thread alone.
final class WorkerPool: @unchecked Sendable {
    /// Pause iterations a worker spins before it sleeps: a few milliseconds.
    static let spinLimit = 200_000

    private static let registry = Mutex<[Int: WorkerPool]>([:])

    /// Returns the pool with `workers` threads, which is created on first use and kept for the process.
    static func shared(workers: Int) -> WorkerPool {
        registry.withLock { pools in
            if let pool = pools[workers] { return pool }
            let pool = WorkerPool(workers: workers)
            pools[workers] = pool
            return pool
        }
    }

    let workers: Int
    private let submission = NSLock()
    private let condition = NSCondition()
    private let generation = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let checkedIn = Atomic<Int>(0)
    // The submitting thread writes these before it increments `generation`, and the workers read
    // them after they observe the increment. They are cleared only after every worker checked in.
    private var job: ((Int) -> Void)?
    private var chunkCount = 0

    private init(workers: Int) {
        self.workers = workers
        for index in 0..<workers {
            let thread = Thread { [unowned self] in self.serve(index: index) }
            thread.name = "factorize-worker-\(index)"
            thread.start()
        }
    }

    /// Runs `body(0) … body(chunks - 1)` across the workers and the calling thread and returns
    /// true, or returns false without running anything when the pool is busy.
    func run(chunks: Int, _ body: (Int) -> Void) -> Bool {
        guard submission.try() else { return false }
        defer { submission.unlock() }
        withoutActuallyEscaping(body) { body in
            job = body
            chunkCount = chunks
            checkedIn.store(0, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
            runChunks(participant: 0)
            while checkedIn.load(ordering: .acquiring) < workers { factorize_spin_pause() }
            job = nil
        }
        return true
    }

    private func runChunks(participant: Int) {
        guard participant < chunkCount, let job else { return }
        for chunk in stride(from: participant, to: chunkCount, by: workers + 1) { job(chunk) }
    }

    private func serve(index: Int) {
        var seen = 0
        while true {
            seen = waitForJob(after: seen)
            runChunks(participant: index + 1)
            checkedIn.add(1, ordering: .releasing)
        }
    }

    /// Waits until `generation` moves past `seen` (spinning first, then sleeping) and returns the new generation.
    private func waitForJob(after seen: Int) -> Int {
        for _ in 0..<Self.spinLimit {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            factorize_spin_pause()
        }
        condition.lock()
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var current = generation.load(ordering: .sequentiallyConsistent)
        while current == seen {
            condition.wait()
            current = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        condition.unlock()
        return current
    }
}
