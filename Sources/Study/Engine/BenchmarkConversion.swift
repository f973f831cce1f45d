import Backends
import Foundation

extension Metrics {
    /// Converts a backend's benchmark result to results-document metrics.
    ///
    /// Latency statistics are kept only when the backend gives all seven (a trtexec log from
    /// before TensorRT 8.5 gives only p99). `throughputPerS` counts samples, so it is the
    /// backend's inferences per second times the batch size (1 when unknown).
    public init(benchmark result: BenchmarkResult) {
        let latency = result.latencyMilliseconds.flatMap { statistics -> LatencyStatistics? in
            guard let min = statistics.min, let mean = statistics.mean, let median = statistics.median,
                let p90 = statistics.p90, let p95 = statistics.p95, let p99 = statistics.p99, let max = statistics.max
            else { return nil }
            return LatencyStatistics(min: min, mean: mean, median: median, p90: p90, p95: p95, p99: p99, max: max)
        }
        self.init(
            sizeBytes: result.modelBytes, latencyMs: latency,
            throughputPerS: result.throughputPerSecond.map { $0 * Double(result.batchSize ?? 1) },
            peakMemoryBytes: result.peakMemoryBytes)
    }
}

extension ActionOutcome {
    /// Converts a benchmark result to an outcome: its metrics, or `unavailable` with the backend's message.
    public init(benchmark result: BenchmarkResult, runtimeVersion: String? = nil) {
        if result.status == .unavailable {
            let reason = result.message.map { $0.hasPrefix("unavailable: ") ? String($0.dropFirst(13)) : $0 }
            self = .unavailable(reason ?? "\(result.runtime) is not available", runtimeVersion: runtimeVersion)
        } else {
            self = .measured(Metrics(benchmark: result), runtimeVersion: runtimeVersion)
        }
    }
}
