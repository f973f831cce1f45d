/// Summary statistics of per-inference latencies in milliseconds.
///
/// Every field is optional because a runtime's log may omit it: trtexec before 8.5, for
/// example, prints only the 99th percentile. An absent field is omitted from JSON rather
/// than estimated.
public struct LatencyStatistics: Codable, Equatable, Sendable {
    public var min: Double?
    public var mean: Double?
    public var median: Double?
    public var p90: Double?
    public var p95: Double?
    public var p99: Double?
    public var max: Double?

    public init(
        min: Double? = nil, mean: Double? = nil, median: Double? = nil, p90: Double? = nil,
        p95: Double? = nil, p99: Double? = nil, max: Double? = nil
    ) {
        self.min = min
        self.mean = mean
        self.median = median
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// Computes the statistics of measured samples (milliseconds). Percentiles use linear
    /// interpolation between the two nearest ranks, as `numpy.percentile` does by default;
    /// the median is the 50th percentile. Returns all fields nil for no samples.
    public init(samples: [Double]) {
        guard !samples.isEmpty else {
            self.init()
            return
        }
        let sorted = samples.sorted()
        self.init(
            min: sorted.first,
            mean: sorted.reduce(0, +) / Double(sorted.count),
            median: Self.percentile(50, ofSorted: sorted),
            p90: Self.percentile(90, ofSorted: sorted),
            p95: Self.percentile(95, ofSorted: sorted),
            p99: Self.percentile(99, ofSorted: sorted),
            max: sorted.last)
    }

    /// Returns the `percent`-th percentile of ascending values, interpolating linearly.
    public static func percentile(_ percent: Double, ofSorted sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "percentile of no values")
        precondition((0...100).contains(percent), "percentile \(percent) outside 0...100")
        let position = percent / 100 * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
