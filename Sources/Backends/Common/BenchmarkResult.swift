import Foundation

/// Outcome of one benchmark of one model on one runtime, with a stable JSON shape:
///
/// ```json
/// { "runtime": "onnxruntime", "status": "ok",
///   "latency_ms": { "min": 1.2, "mean": 1.3, "median": 1.3, "p90": 1.4, "p95": 1.5, "p99": 1.7, "max": 2.0 },
///   "throughput_per_s": 760.1, "peak_memory_bytes": 123456789, "model_bytes": 46827520,
///   "batch_size": 1, "extras": { ... } }
/// ```
///
/// Keys whose value is unknown are omitted. `throughput_per_s` counts inferences (runs of
/// the model on one batch) per second, so images per second is `throughput_per_s * batch_size`.
public struct BenchmarkResult: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// The benchmark ran and its numbers are measured.
        case ok
        /// The runtime is not installed here, and `message` names what is missing.
        case unavailable
    }

    /// Runtime name: `onnxruntime`, `tensorrt` or `builtin`.
    public var runtime: String
    public var status: Status
    /// Reason the runtime is unavailable; nil when `status` is `ok`.
    public var message: String?
    public var latencyMilliseconds: LatencyStatistics?
    public var throughputPerSecond: Double?
    /// Peak memory of the measured process or device, in bytes; what is measured is
    /// runtime-specific and stated in `extras["peak_memory_kind"]`.
    public var peakMemoryBytes: Int?
    /// Size of the model file (ONNX or serialized engine) in bytes.
    public var modelBytes: Int?
    /// Batch size of each inference, when known.
    public var batchSize: Int?
    /// Runtime-specific values, e.g. the TensorRT version or GPU compute time statistics.
    public var extras: [String: JSONValue]

    public init(
        runtime: String, status: Status = .ok, message: String? = nil,
        latencyMilliseconds: LatencyStatistics? = nil, throughputPerSecond: Double? = nil,
        peakMemoryBytes: Int? = nil, modelBytes: Int? = nil, batchSize: Int? = nil,
        extras: [String: JSONValue] = [:]
    ) {
        self.runtime = runtime
        self.status = status
        self.message = message
        self.latencyMilliseconds = latencyMilliseconds
        self.throughputPerSecond = throughputPerSecond
        self.peakMemoryBytes = peakMemoryBytes
        self.modelBytes = modelBytes
        self.batchSize = batchSize
        self.extras = extras
    }

    /// Creates a result that records that `runtime` cannot run here, with the reason.
    public static func unavailable(runtime: String, reason: String) -> BenchmarkResult {
        BenchmarkResult(runtime: runtime, status: .unavailable, message: "unavailable: \(reason)")
    }

    enum CodingKeys: String, CodingKey {
        case runtime
        case status
        case message
        case latencyMilliseconds = "latency_ms"
        case throughputPerSecond = "throughput_per_s"
        case peakMemoryBytes = "peak_memory_bytes"
        case modelBytes = "model_bytes"
        case batchSize = "batch_size"
        case extras
    }

    /// Encodes the result as pretty-printed JSON with sorted keys, so that files diff cleanly.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
