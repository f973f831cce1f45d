/// Performance figures of one trtexec run, as its log prints them. Every number is copied
/// from the log, and a value the log does not print stays nil.
public struct TrtexecSummary: Equatable, Sendable {
    /// Release from the `[TensorRT vNNNN]` banner.
    public var version: TensorRTVersion?
    /// `&&&& PASSED` (true) or `&&&& FAILED` (false); nil when neither line is present.
    public var passed: Bool?
    /// `Throughput: N qps`: queries per second, where a query is one inference of the engine
    /// (times the implicit batch size when `--batch` was given).
    public var throughputQueriesPerSecond: Double?
    /// Host latency of one query: H2D transfer + GPU compute + D2H transfer.
    public var latency = LatencyStatistics()
    /// From the H2D start of a query to its D2H end, including waiting for the previous query.
    public var endToEndHostLatency: LatencyStatistics?
    /// Host time to enqueue one query.
    public var enqueueTime: LatencyStatistics?
    public var hostToDeviceLatency: LatencyStatistics?
    public var gpuComputeTime: LatencyStatistics?
    public var deviceToHostLatency: LatencyStatistics?
    public var totalHostWalltimeSeconds: Double?
    public var totalGPUComputeTimeSeconds: Double?
    /// Per-group means of the `Average over N runs is X ms` lines of releases before 7.0,
    /// as (runs, milliseconds).
    public var runAverages: [RunAverage] = []
    /// Engine size as logged, in MiB (`Created engine with size`, `Loaded engine size`).
    public var engineSizeMiB: Double?
    /// Memory sizes in bytes logged by the builder and runtime, keyed by
    /// `activation`, `device_persistent`, `host_persistent`, `scratch`.
    public var memoryBytes: [String: Int] = [:]
    /// Text of each `[W]` line, without the timestamp and tag.
    public var warnings: [String] = []
    /// Text of each `[E]` line, without the timestamp and tag.
    public var errors: [String] = []

    public struct RunAverage: Equatable, Sendable {
        public var runs: Int
        public var milliseconds: Double
    }

    public init() {}

    /// True when the log contained any latency statistic.
    public var hasLatency: Bool {
        latency != LatencyStatistics() || !runAverages.isEmpty
    }

    /// The latency statistics to report: the host latency, or for pre-7.0 logs the mean over
    /// all runs of the `Average over` groups (exact, since each group states its run count).
    public var reportedLatency: LatencyStatistics {
        if latency != LatencyStatistics() || runAverages.isEmpty { return latency }
        let runs = runAverages.reduce(0) { $0 + $1.runs }
        let total = runAverages.reduce(0.0) { $0 + Double($1.runs) * $1.milliseconds }
        return LatencyStatistics(mean: runs > 0 ? total / Double(runs) : nil)
    }
}
