import Backends
import Foundation
import Graph
import Study

/// `factorize bench`: latency, throughput and memory of a model on one runtime.
enum BenchCommand: Command {
    static let spec = CommandSpec(
        name: "bench",
        abstract: "Time a model on the built-in engine, ONNX Runtime or TensorRT.",
        discussion: """
            Inputs are seeded uniform random values in [0, 1) with the model's declared shapes, the
            leading (batch) extent set to --batch. Latency is the wall time of one inference; the
            table shows min, mean, median, p90, p95, p99 and max over the timed runs. Throughput is
            inferences per second (samples per second = inferences × batch).
            Peak memory, by runtime:
              builtin      peak resident set size (VmHWM) of this factorize process at the end of the
                           timed runs: model loading, the engine's plan and weights, and inference.
                           Run one bench per process for a clean number (the study does).
              onnxruntime  peak resident set size of the Python process that runs ONNX Runtime.
              tensorrt     device memory (persistent + activation) when trtexec's log gives it.
            Before and after optimization: builtin with --no-optimize runs the graph as written
            (no fusion); onnxruntime uses ORT_DISABLE_ALL with --no-optimize, else ORT_ENABLE_ALL;
            TensorRT always optimizes. TensorRT needs trtexec (on PATH or --trtexec); without it the
            result is "unavailable: trtexec not found" and the exit status is 0. --trtexec-log reads
            a log that trtexec wrote elsewhere (for example on a Jetson) instead of running anything.
            """,
        positionals: [PositionalSpec("MODEL", "ONNX model to time.")],
        options: [
            .value("runtime", "NAME", "builtin, onnxruntime or tensorrt (default builtin)."),
            .value("batch", "B", "Batch size of each inference (default 1)."),
            .value("threads", "N", "CPU threads of the runtime (default: all cores)."),
            .value("warmup", "N", "Untimed inferences before timing (default 10)."),
            .value("iterations", "N", "Timed inferences (default 100)."),
            .value("duration", "S", "Time for at least S seconds instead of a fixed count."),
            .value("precision", "P", "TensorRT precision: fp32, fp16 or int8 (default fp32)."),
            .value("trtexec", "PATH", "trtexec executable (default: search PATH)."),
            .value("trtexec-log", "FILE", "Import the timings of a saved trtexec log instead of running."),
            .value("name", "NAME", "Model name in results documents (default: metadata or file name)."),
            .value("results", "DIR", "Also write a JSON results document into DIR."),
            .flag("no-optimize", "Measure before the runtime's own graph optimization."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let modelURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let runtime = try arguments.choice("runtime", in: ["builtin", "onnxruntime", "tensorrt"]) ?? "builtin"
        let batch = try positiveInt(arguments, "batch") ?? 1
        let threads = try threadCount(arguments, command: spec.name)
        let warmup = try arguments.int("warmup") ?? 10
        guard warmup >= 0 else { throw UsageError("invalid value '\(warmup)' for --warmup: expected 0 or more", command: spec.name) }
        if arguments.string("iterations") != nil, arguments.string("duration") != nil {
            throw UsageError("options --iterations and --duration exclude each other; give one", command: spec.name)
        }
        let duration = try arguments.double("duration") ?? 0
        guard duration >= 0 else { throw UsageError("invalid value '\(duration)' for --duration: expected seconds >= 0", command: spec.name) }
        let iterations = try positiveInt(arguments, "iterations") ?? (duration > 0 ? 1 : 100)
        let precisionName = try arguments.choice("precision", in: TensorRTPrecision.allCases.map(\.rawValue)) ?? "fp32"
        if runtime != "tensorrt" {
            for name in ["precision", "trtexec", "trtexec-log"] where arguments.string(name) != nil {
                throw UsageError("option --\(name) applies to --runtime tensorrt only (got --runtime \(runtime))", command: spec.name)
            }
        }
        let optimize = !arguments.flag("no-optimize")
        if runtime == "tensorrt", !optimize {
            throw UsageError("TensorRT always optimizes; --no-optimize applies to builtin and onnxruntime", command: spec.name)
        }
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw CLIError.fileNotFound(path: modelURL.path, what: "model")
        }

        let model = try Model.load(from: modelURL)
        var shapes = defaultInputShapes(model).filter { model.graph.initializers[$0.key] == nil }
        shapes = shapes.mapValues { $0.isEmpty ? $0 : [batch] + $0.dropFirst() }
        let request = Backends.BenchmarkRequest(
            model: modelURL, inputShapes: shapes, warmupIterations: warmup, iterations: iterations,
            minimumDuration: duration)

        console.log("bench: \(runtime)\(optimize ? "" : " (no optimization)"), batch \(batch), \(threads) thread\(threads == 1 ? "" : "s")")
        var result: BenchmarkResult
        let precision = TensorRTPrecision(rawValue: precisionName)!
        switch runtime {
        case "builtin":
            result = try BuiltinBackend(optimize: optimize, threads: threads).benchmark(request)
        case "onnxruntime":
            result = try OnnxRuntimeBackend(optimization: optimize ? .all : .disable, intraOpThreads: threads).benchmark(request)
        default:
            if let log = arguments.string("trtexec-log") {
                result = try importedTrtexecLog(log, batch: batch, precision: precision)
            } else {
                let trtexec = arguments.string("trtexec").map { URL(fileURLWithPath: $0) }
                result = try TensorRTBackend(trtexec: trtexec, precision: precision).benchmark(request)
            }
        }
        if result.modelBytes == nil { result.modelBytes = fileSize(modelURL) }
        if result.batchSize == nil { result.batchSize = batch }
        if result.status == .unavailable { console.log(result.message ?? "unavailable") }

        let inspection = try? ModelInspection(model: model)
        if let directory = arguments.string("results") {
            var metrics = Metrics(benchmark: result)
            metrics.sizeBytes = fileSize(modelURL)
            metrics.sizeMB = metrics.sizeBytes.map { Double($0) / 1_000_000 }
            metrics.parameters = inspection?.parameters
            metrics.macs = inspection?.macs
            let version = runtimeVersion(result, runtime: runtime)
            let record = ResultRecord(
                kind: .bench, modelFile: modelURL,
                description: ModelDescription(model: model, file: modelURL, name: arguments.string("name")),
                runtime: RuntimeIdentity(name: runtime, version: version), optimized: optimize, threads: threads,
                batch: batch, metrics: metrics, unavailable: result.status == .unavailable ? unavailableReason(result) : nil)
            console.log("wrote \(try writeResult(record, to: directory).path)")
        }

        if arguments.flag("json") {
            console.print(try jsonText(benchJSON(result, inspection: inspection, threads: threads, optimize: optimize)))
        } else {
            printSummary(result, inspection: inspection, console: console)
        }
    }

    /// Reads a trtexec log a user saved, as if trtexec had just run here.
    private static func importedTrtexecLog(_ path: String, batch: Int, precision: TensorRTPrecision) throws -> BenchmarkResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.fileNotFound(path: path, what: "trtexec log")
        }
        let summary = TrtexecLogParser.parse(String(decoding: data, as: UTF8.self))
        guard summary.hasLatency else {
            throw CLIError.invalidFile(path: path, reason: "no trtexec performance summary (lines such as 'Latency: min = ...')")
        }
        var result = TensorRTBackend.result(summary: summary, batchSize: batch, precision: precision)
        result.extras["imported_log"] = .string(path)
        result.modelBytes = nil
        return result
    }

    private static func unavailableReason(_ result: BenchmarkResult) -> String {
        let message = result.message ?? "\(result.runtime) is not available"
        return message.hasPrefix("unavailable: ") ? String(message.dropFirst(13)) : message
    }

    private static func runtimeVersion(_ result: BenchmarkResult, runtime: String) -> String {
        switch runtime {
        case "builtin": return factorizeVersion
        case "onnxruntime": return result.extras["onnxruntime_version"]?.string ?? "unknown"
        default: return result.extras["tensorrt_version"]?.string ?? "unknown"
        }
    }

    /// Builds the result's JSON object (see `BenchmarkResult`) plus `parameters`, `macs`, `threads`,
    /// `optimized` and `throughput_samples_per_s`.
    static func benchJSON(_ result: BenchmarkResult, inspection: ModelInspection?, threads: Int, optimize: Bool) throws -> [String: Any] {
        var object = try JSONSerialization.jsonObject(with: result.jsonData()) as? [String: Any] ?? [:]
        object["threads"] = threads
        object["optimized"] = optimize
        if let inspection {
            object["parameters"] = inspection.parameters
            object["macs"] = inspection.macs
        }
        if let throughput = result.throughputPerSecond {
            object["throughput_samples_per_s"] = throughput * Double(result.batchSize ?? 1)
        }
        return object
    }

    private static func printSummary(_ result: BenchmarkResult, inspection: ModelInspection?, console: Console) {
        guard result.status == .ok else {
            console.print("\(result.runtime): \(result.message ?? "unavailable")")
            return
        }
        let latency = result.latencyMilliseconds ?? LatencyStatistics()
        let rows: [(String, Double?)] = [
            ("min", latency.min), ("mean", latency.mean), ("median", latency.median), ("p90", latency.p90),
            ("p95", latency.p95), ("p99", latency.p99), ("max", latency.max),
        ]
        console.print("runtime     \(result.runtime)")
        for (label, value) in rows {
            console.print(label.padding(toLength: 12, withPad: " ", startingAt: 0) + (value.map { String(format: "%.3f ms", $0) } ?? "-"))
        }
        if let throughput = result.throughputPerSecond {
            let batch = result.batchSize ?? 1
            console.print(String(format: "throughput  %.1f inferences/s (%.1f samples/s at batch %ld)", throughput, throughput * Double(batch), batch))
        }
        if let peak = result.peakMemoryBytes { console.print(String(format: "peak memory %.1f MiB", Double(peak) / 1_048_576)) }
        if let bytes = result.modelBytes { console.print(String(format: "model size  %.2f MB", Double(bytes) / 1_000_000)) }
        if let inspection {
            console.print(String(format: "parameters  %.3f M", Double(inspection.parameters) / 1e6))
            console.print(String(format: "MACs        %.1f M (batch 1)", Double(inspection.macs) / 1e6))
        }
    }
}
