import Foundation

/// Builds and times TensorRT engines by running NVIDIA's `trtexec`.
///
/// The engine is built from the ONNX model with the requested precision, saved to the work
/// folder, and timed. The saved engine's file size is the reported model size. Per-layer
/// times come from a separate profiling run so that profiling does not inflate the latency.
public struct TensorRTBackend: InferenceBackend {
    public let name = "tensorrt"
    /// trtexec to run; nil searches `$PATH`.
    public var trtexec: URL?
    public var precision: TensorRTPrecision
    /// Warm-up before timing, in milliseconds (trtexec's own default is 200).
    public var warmUpMilliseconds: Int
    /// Builder workspace limit in MiB; nil keeps trtexec's default.
    public var workspaceMiB: Int?
    /// Folder for the engine, profile and timing files; nil uses a new temporary folder.
    public var workDirectory: URL?
    /// Upper bound in seconds for one trtexec run, engine build included.
    public var timeout: Double

    public init(
        trtexec: URL? = nil, precision: TensorRTPrecision = .fp32, warmUpMilliseconds: Int = 200,
        workspaceMiB: Int? = nil, workDirectory: URL? = nil, timeout: Double = 3600
    ) {
        self.trtexec = trtexec
        self.precision = precision
        self.warmUpMilliseconds = warmUpMilliseconds
        self.workspaceMiB = workspaceMiB
        self.workDirectory = workDirectory
        self.timeout = timeout
    }

    /// The trtexec executable that will run, or nil when none is found.
    public func resolvedExecutable() -> URL? {
        if let trtexec {
            return FileManager.default.isExecutableFile(atPath: trtexec.path) ? trtexec : nil
        }
        return ProcessRunner.findExecutable("trtexec")
    }

    public func unavailabilityReason() -> String? {
        if resolvedExecutable() != nil { return nil }
        if let trtexec { return "trtexec not found at \(trtexec.path)" }
        return "trtexec not found"
    }

    /// Runs `trtexec --help` and reads the release from its banner.
    public func detectVersion() throws -> TensorRTVersion {
        guard let executable = resolvedExecutable() else { throw BackendError.fileNotFound(path: "trtexec") }
        let output = try ProcessRunner.run(executable, arguments: ["--help"], timeout: 60)
        let text = output.standardOutputText + output.standardErrorText
        guard let version = TensorRTVersion.detect(in: text) else {
            throw BackendError.invalidOutput(
                tool: "trtexec --help", reason: "no [TensorRT vNNNN] banner in: \(ProcessRunner.tail(text, lines: 5))")
        }
        return version
    }

    /// Returns the command this backend runs for `request`, with its files placed in `folder`.
    public func command(for request: BenchmarkRequest, in folder: URL) -> TrtexecCommand {
        var command = TrtexecCommand(onnx: request.model, saveEngine: folder.appendingPathComponent("model.engine"))
        command.shapes = request.inputShapes
        command.precision = precision
        command.iterations = request.iterations
        command.durationSeconds = Int(request.minimumDuration.rounded(.up))
        command.warmUpMilliseconds = warmUpMilliseconds
        command.workspaceMiB = workspaceMiB
        command.exportProfile = folder.appendingPathComponent("profile.json")
        command.exportTimes = folder.appendingPathComponent("times.json")
        command.separateProfileRun = true
        return command
    }

    public func benchmark(_ request: BenchmarkRequest) throws -> BenchmarkResult {
        guard let executable = resolvedExecutable() else {
            return .unavailable(runtime: name, reason: unavailabilityReason() ?? "trtexec not found")
        }
        guard FileManager.default.fileExists(atPath: request.model.path) else {
            throw BackendError.fileNotFound(path: request.model.path)
        }
        let version = try detectVersion()
        let folder = try workDirectory ?? Self.makeTemporaryFolder()
        let command = command(for: request, in: folder)
        let arguments = try command.arguments(for: version)

        let output = try ProcessRunner.run(executable, arguments: arguments, timeout: timeout)
        let log = output.standardOutputText + "\n" + output.standardErrorText
        guard output.status == 0 else {
            throw BackendError.processFailed(
                command: ProcessRunner.commandLine(executable, arguments), status: output.status,
                standardError: ProcessRunner.tail(log))
        }

        let summary = TrtexecLogParser.parse(log)
        guard summary.hasLatency else {
            throw BackendError.invalidOutput(tool: "trtexec", reason: "no performance summary in: \(ProcessRunner.tail(log))")
        }
        let profile = command.exportProfile.flatMap { try? Data(contentsOf: $0) }.flatMap { try? TrtexecProfile.parse($0) }
        var result = Self.result(
            summary: summary, profile: profile, engine: command.saveEngine, batchSize: request.batchSize,
            precision: precision, commandLine: ProcessRunner.commandLine(executable, arguments))

        // Releases before 8.5 print only the 99th percentile, so the exported per-inference
        // trace adds every statistic, computed with the interpolation of LatencyStatistics.
        if let data = command.exportTimes.flatMap({ try? Data(contentsOf: $0) }),
            let timings = try? TrtexecTimes.timings(data)
        {
            let statistics = TrtexecTimes.timedStatistics(timings, warmUpMilliseconds: Double(warmUpMilliseconds))
            if statistics != LatencyStatistics() { result.extras["latency_from_exported_times_ms"] = statistics.jsonValue }
        }
        return result
    }

    /// Assembles a result from a parsed log; public so that saved logs can be re-read.
    public static func result(
        summary: TrtexecSummary, profile: TrtexecProfile? = nil, engine: URL? = nil, batchSize: Int? = nil,
        precision: TensorRTPrecision = .fp32, commandLine: String? = nil
    ) -> BenchmarkResult {
        var extras: [String: JSONValue] = ["precision": .string(precision.rawValue)]
        if let version = summary.version { extras["tensorrt_version"] = .string(version.description) }
        if let commandLine { extras["command"] = .string(commandLine) }
        let statistics: [(String, LatencyStatistics?)] = [
            ("gpu_compute_ms", summary.gpuComputeTime), ("h2d_ms", summary.hostToDeviceLatency),
            ("d2h_ms", summary.deviceToHostLatency), ("enqueue_ms", summary.enqueueTime),
            ("end_to_end_host_latency_ms", summary.endToEndHostLatency),
        ]
        for (key, value) in statistics {
            if let value { extras[key] = value.jsonValue }
        }
        if let seconds = summary.totalHostWalltimeSeconds { extras["total_host_walltime_s"] = .number(seconds) }
        if let seconds = summary.totalGPUComputeTimeSeconds { extras["total_gpu_compute_time_s"] = .number(seconds) }
        if let mebibytes = summary.engineSizeMiB { extras["engine_size_logged_mib"] = .number(mebibytes) }
        for (key, bytes) in summary.memoryBytes { extras["\(key)_memory_bytes"] = .number(Double(bytes)) }
        if !summary.warnings.isEmpty { extras["warnings"] = .array(summary.warnings.map(JSONValue.string)) }
        if let profile { extras["layer_profile"] = profile.jsonValue }

        // Device memory of an execution context is its persistent plus activation memory;
        // reported only when the log gives both.
        var deviceMemory: Int?
        if let activation = summary.memoryBytes["activation"], let persistent = summary.memoryBytes["device_persistent"] {
            deviceMemory = activation + persistent
            extras["peak_memory_kind"] = .string("TensorRT device memory: persistent + activation, from the build log")
        }

        let engineBytes = engine.flatMap { try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int }
        return BenchmarkResult(
            runtime: "tensorrt", latencyMilliseconds: summary.reportedLatency,
            throughputPerSecond: summary.throughputQueriesPerSecond, peakMemoryBytes: deviceMemory,
            modelBytes: engineBytes, batchSize: batchSize, extras: extras)
    }

    private static func makeTemporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("factorize-tensorrt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

extension LatencyStatistics {
    /// The statistics as a JSON object with only the known fields.
    public var jsonValue: JSONValue {
        let fields: [(String, Double?)] = [
            ("min", min), ("mean", mean), ("median", median), ("p90", p90), ("p95", p95), ("p99", p99), ("max", max),
        ]
        return .object(Dictionary(uniqueKeysWithValues: fields.compactMap { key, value in value.map { (key, .number($0)) } }))
    }
}
