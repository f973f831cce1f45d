import Foundation

/// Summary of per-inference latencies in milliseconds.
public struct LatencyStatistics: Codable, Sendable, Equatable {
    public var min: Double
    public var mean: Double
    public var median: Double
    public var p90: Double
    public var p95: Double
    public var p99: Double
    public var max: Double

    public init(min: Double, mean: Double, median: Double, p90: Double, p95: Double, p99: Double, max: Double) {
        self.min = min
        self.mean = mean
        self.median = median
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// Summarizes latency samples in milliseconds; nil when `samples` is empty.
    ///
    /// Percentiles interpolate linearly between the two nearest order statistics, the
    /// definition NumPy's `percentile` uses by default: the p-th percentile of n sorted
    /// samples sits at position p/100 · (n − 1).
    public init?(samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        self.init(
            min: sorted[0],
            mean: sorted.reduce(0, +) / Double(sorted.count),
            median: Self.percentile(50, ofSorted: sorted),
            p90: Self.percentile(90, ofSorted: sorted),
            p95: Self.percentile(95, ofSorted: sorted),
            p99: Self.percentile(99, ofSorted: sorted),
            max: sorted[sorted.count - 1])
    }

    /// Returns the `percent`-th percentile of ascending `sorted` values by linear interpolation.
    public static func percentile(_ percent: Double, ofSorted sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "percentile of no samples")
        precondition((0...100).contains(percent), "percentile \(percent) outside 0...100")
        let position = percent / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}

/// Numbers a measurement produced. Every field is optional because each kind of run
/// fills a different subset: `compress` the model statistics, `eval` the accuracy,
/// `bench` the latency, throughput and memory.
public struct Metrics: Codable, Sendable, Equatable {
    /// Model file size in megabytes of 10^6 bytes.
    public var sizeMB: Double?
    /// Model file size in bytes.
    public var sizeBytes: Int?
    /// Number of weight and bias elements.
    public var parameters: Int?
    /// Multiply-accumulate operations of one inference at batch size 1.
    public var macs: Int?
    /// Fraction of samples whose label is the highest-scoring class, in [0, 1].
    public var top1: Double?
    /// Fraction of samples whose label is among the five highest-scoring classes, in [0, 1].
    public var top5: Double?
    /// Number of samples that `top1` and `top5` were computed on.
    public var samples: Int?
    /// Per-inference latency in milliseconds.
    public var latencyMs: LatencyStatistics?
    /// Samples per second (inferences per second times the batch size).
    public var throughputPerS: Double?
    /// Peak resident memory of the measuring process in bytes.
    public var peakMemoryBytes: Int?
    /// Training loss at the end of fine-tuning.
    public var finalLoss: Double?
    /// Number of optimizer steps that fine-tuning ran.
    public var steps: Int?

    enum CodingKeys: String, CodingKey {
        case sizeMB = "size_mb"
        case sizeBytes = "size_bytes"
        case parameters, macs, top1, top5, samples
        case latencyMs = "latency_ms"
        case throughputPerS = "throughput_per_s"
        case peakMemoryBytes = "peak_memory_bytes"
        case finalLoss = "final_loss"
        case steps
    }

    public init(
        sizeBytes: Int? = nil, parameters: Int? = nil, macs: Int? = nil, top1: Double? = nil,
        top5: Double? = nil, samples: Int? = nil, latencyMs: LatencyStatistics? = nil,
        throughputPerS: Double? = nil, peakMemoryBytes: Int? = nil, finalLoss: Double? = nil,
        steps: Int? = nil
    ) {
        self.sizeBytes = sizeBytes
        self.sizeMB = sizeBytes.map { Double($0) / 1_000_000 }
        self.parameters = parameters
        self.macs = macs
        self.top1 = top1
        self.top5 = top5
        self.samples = samples
        self.latencyMs = latencyMs
        self.throughputPerS = throughputPerS
        self.peakMemoryBytes = peakMemoryBytes
        self.finalLoss = finalLoss
        self.steps = steps
    }

    /// Fills each field that is nil here from `other`, so that an action's own numbers
    /// take precedence over those the runner adds.
    public func filling(from other: Metrics) -> Metrics {
        var merged = self
        merged.sizeMB = sizeMB ?? other.sizeMB
        merged.sizeBytes = sizeBytes ?? other.sizeBytes
        merged.parameters = parameters ?? other.parameters
        merged.macs = macs ?? other.macs
        merged.top1 = top1 ?? other.top1
        merged.top5 = top5 ?? other.top5
        merged.samples = samples ?? other.samples
        merged.latencyMs = latencyMs ?? other.latencyMs
        merged.throughputPerS = throughputPerS ?? other.throughputPerS
        merged.peakMemoryBytes = peakMemoryBytes ?? other.peakMemoryBytes
        merged.finalLoss = finalLoss ?? other.finalLoss
        merged.steps = steps ?? other.steps
        return merged
    }
}
