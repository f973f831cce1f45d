import Foundation

/// Time spent in one engine layer, from trtexec's `--exportProfile` JSON.
public struct LayerProfile: Equatable, Sendable {
    public var name: String
    /// Total time over all profiled iterations, in milliseconds.
    public var totalMilliseconds: Double
    /// Mean time per iteration, in milliseconds.
    public var averageMilliseconds: Double
    /// Median per iteration (TensorRT 8.4 and later), in milliseconds.
    public var medianMilliseconds: Double?
    /// Share of the total time of all layers, in percent.
    public var percentage: Double?
}

/// Per-layer profile of a trtexec run.
public struct TrtexecProfile: Equatable, Sendable {
    /// Number of profiled iterations.
    public var iterations: Int?
    public var layers: [LayerProfile]

    /// Parses the JSON array trtexec writes: a `{ "count" : N }` object, then one
    /// `{ "name", "timeMs", "averageMs", ["medianMs"], "percentage" }` object per layer.
    /// - Throws: `BackendError.invalidOutput` when the text is not such an array.
    public static func parse(_ data: Data) throws -> TrtexecProfile {
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw BackendError.invalidOutput(tool: "trtexec --exportProfile", reason: "expected a JSON array of objects")
        }
        var profile = TrtexecProfile(iterations: nil, layers: [])
        for entry in entries {
            if let count = entry["count"] as? NSNumber {
                profile.iterations = count.intValue
                continue
            }
            guard let name = entry["name"] as? String,
                let total = (entry["timeMs"] as? NSNumber)?.doubleValue,
                let average = (entry["averageMs"] as? NSNumber)?.doubleValue
            else {
                throw BackendError.invalidOutput(
                    tool: "trtexec --exportProfile", reason: "layer entry without name, timeMs or averageMs: \(entry)")
            }
            profile.layers.append(
                LayerProfile(
                    name: name, totalMilliseconds: total, averageMilliseconds: average,
                    medianMilliseconds: (entry["medianMs"] as? NSNumber)?.doubleValue,
                    percentage: (entry["percentage"] as? NSNumber)?.doubleValue))
        }
        return profile
    }

    /// The profile as a JSON value for `BenchmarkResult.extras`.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "layers": .array(
                layers.map { layer in
                    var entry: [String: JSONValue] = [
                        "name": .string(layer.name),
                        "total_ms": .number(layer.totalMilliseconds),
                        "average_ms": .number(layer.averageMilliseconds),
                    ]
                    if let median = layer.medianMilliseconds { entry["median_ms"] = .number(median) }
                    if let percentage = layer.percentage { entry["percentage"] = .number(percentage) }
                    return .object(entry)
                })
        ]
        if let iterations { object["iterations"] = .number(Double(iterations)) }
        return .object(object)
    }
}

/// Per-inference timings from trtexec's `--exportTimes` JSON.
public enum TrtexecTimes {
    /// One traced inference.
    public struct Timing: Equatable, Sendable {
        /// Start of GPU compute, in milliseconds since the trace began (`startComputeMs`).
        public var startComputeMilliseconds: Double?
        /// Host latency: H2D + compute + D2H, in milliseconds (`latencyMs`).
        public var latencyMilliseconds: Double
    }

    /// Parses the exported trace in trace order. The trace includes warm-up inferences.
    public static func timings(_ data: Data) throws -> [Timing] {
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw BackendError.invalidOutput(tool: "trtexec --exportTimes", reason: "expected a JSON array of objects")
        }
        return try entries.map { entry in
            guard let latency = (entry["latencyMs"] as? NSNumber)?.doubleValue else {
                throw BackendError.invalidOutput(tool: "trtexec --exportTimes", reason: "entry without latencyMs: \(entry)")
            }
            return Timing(startComputeMilliseconds: (entry["startComputeMs"] as? NSNumber)?.doubleValue, latencyMilliseconds: latency)
        }
    }

    /// Host latencies in milliseconds, one per traced inference, in trace order.
    public static func latencies(_ data: Data) throws -> [Double] {
        try timings(data).map(\.latencyMilliseconds)
    }

    /// Statistics of the timed inferences: those whose compute starts at or after the warm-up
    /// period, the rule trtexec itself applies before printing its summary.
    public static func timedStatistics(_ timings: [Timing], warmUpMilliseconds: Double) -> LatencyStatistics {
        let timed = timings.filter { ($0.startComputeMilliseconds ?? .infinity) >= warmUpMilliseconds }
        return LatencyStatistics(samples: timed.map(\.latencyMilliseconds))
    }
}
