import Foundation

/// A float tensor exchanged with ONNX Runtime: shape plus row-major values.
public struct OnnxRuntimeTensor: Equatable, Sendable {
    public var shape: [Int]
    public var scalars: [Float]
    /// NumPy dtype name of the value ONNX Runtime produced, e.g. `float32` or `int64`.
    /// `scalars` contains the values converted to `Float`.
    public var elementType: String

    public init(shape: [Int], scalars: [Float], elementType: String = "float32") {
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
        self.elementType = elementType
    }
}

/// Runs models on ONNX Runtime's CPU execution provider through a Python interpreter that
/// has `onnxruntime` and `numpy` installed.
public struct OnnxRuntimeBackend: InferenceBackend {
    public enum OptimizationLevel: String, Codable, Sendable, CaseIterable {
        /// ORT_ENABLE_ALL: every graph optimization, including layout transformations.
        case all
        case extended
        case basic
        /// ORT_DISABLE_ALL: the graph runs as written.
        case disable
    }

    public let name = "onnxruntime"
    /// Interpreter to run; see `defaultPython()`.
    public var python: URL
    public var optimization: OptimizationLevel
    /// intra_op_num_threads; 0 lets ONNX Runtime choose (one per physical core).
    public var intraOpThreads: Int
    /// Seed of the random inputs used for benchmarking.
    public var seed: Int
    /// Upper bound in seconds for one Python run.
    public var timeout: Double

    public init(
        python: URL? = nil, optimization: OptimizationLevel = .all, intraOpThreads: Int = 0, seed: Int = 0,
        timeout: Double = 3600
    ) {
        self.python = python ?? Self.defaultPython()
        self.optimization = optimization
        self.intraOpThreads = intraOpThreads
        self.seed = seed
        self.timeout = timeout
    }

    /// Returns `$FACTORIZE_PYTHON` when set. Otherwise returns the first existing
    /// `.build/venv/bin/python3` of the current folder or of the folders above the running
    /// executable, so `.build/<configuration>/factorize` finds its package's `.build/venv`.
    /// When none exists it returns the current folder's candidate, so that the
    /// unavailability message names it.
    public static func defaultPython(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["FACTORIZE_PYTHON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var candidates = [current.appendingPathComponent(".build/venv/bin/python3")]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent("venv/bin/python3"))
            candidates.append(folder.appendingPathComponent(".build/venv/bin/python3"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    public func unavailabilityReason() -> String? {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            return "Python interpreter not found at \(python.path); set FACTORIZE_PYTHON or create .build/venv"
        }
        do {
            _ = try runScript(["probe"], timeout: 120)
            return nil
        } catch {
            return "onnxruntime is not importable by \(python.path): \(error)"
        }
    }

    /// Versions of onnxruntime and numpy in the interpreter.
    public func versions() throws -> (onnxruntime: String, numpy: String) {
        let reply = try runScript(["probe"], timeout: 120)
        return (reply["onnxruntime_version"]?.string ?? "unknown", reply["numpy_version"]?.string ?? "unknown")
    }

    public func benchmark(_ request: BenchmarkRequest) throws -> BenchmarkResult {
        if let reason = unavailabilityReason() { return .unavailable(runtime: name, reason: reason) }
        guard FileManager.default.fileExists(atPath: request.model.path) else {
            throw BackendError.fileNotFound(path: request.model.path)
        }

        var arguments = [
            "benchmark", "--model", request.model.path, "--optimization", optimization.rawValue,
            "--threads", "\(intraOpThreads)", "--warmup", "\(request.warmupIterations)",
            "--iterations", "\(request.iterations)", "--duration", "\(request.minimumDuration)", "--seed", "\(seed)",
        ]
        for name in request.inputShapes.keys.sorted() {
            arguments += ["--shape", "\(name)=" + request.inputShapes[name]!.map(String.init).joined(separator: "x")]
        }
        let reply = try runScript(arguments, timeout: timeout)
        return try Self.result(reply: reply, request: request, optimization: optimization, intraOpThreads: intraOpThreads)
    }

    /// Builds a result from the helper's benchmark reply.
    static func result(
        reply: [String: JSONValue], request: BenchmarkRequest, optimization: OptimizationLevel, intraOpThreads: Int
    ) throws -> BenchmarkResult {
        guard case .array(let values)? = reply["latencies_ms"], let elapsed = reply["elapsed_s"]?.number else {
            throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "reply without latencies_ms or elapsed_s")
        }
        let latencies = values.compactMap(\.number)
        var extras: [String: JSONValue] = [
            "optimization": .string(optimization.rawValue),
            "intra_op_threads": .number(Double(intraOpThreads)),
            "runs": .number(Double(latencies.count)),
            "timed_wall_s": .number(elapsed),
            "peak_memory_kind": .string("peak resident set size of the Python process running ONNX Runtime"),
        ]
        for key in ["onnxruntime_version", "peak_rss_before_session_bytes", "input_shapes", "providers"] {
            if let value = reply[key] { extras[key] = value }
        }

        var batchSize = request.batchSize
        if batchSize == nil, case .object(let shapes)? = reply["input_shapes"] {
            let batches = Set(shapes.values.compactMap { shape -> Int? in
                if case .array(let dims) = shape, let first = dims.first?.number { return Int(first) }
                return nil
            })
            if batches.count == 1 { batchSize = batches.first }
        }

        let modelBytes = try? FileManager.default.attributesOfItem(atPath: request.model.path)[.size] as? Int
        return BenchmarkResult(
            runtime: "onnxruntime", latencyMilliseconds: LatencyStatistics(samples: latencies),
            throughputPerSecond: elapsed > 0 ? Double(latencies.count) / elapsed : nil,
            peakMemoryBytes: reply["peak_rss_bytes"]?.number.map { Int($0) }, modelBytes: modelBytes,
            batchSize: batchSize, extras: extras)
    }

    /// Runs the model once and returns every output by name, for comparing another
    /// runtime's outputs with ONNX Runtime's.
    /// - Throws: `BackendError` when Python or onnxruntime is missing or the run fails.
    public func run(model: URL, inputs: [String: OnnxRuntimeTensor]) throws -> [String: OnnxRuntimeTensor] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("factorize-ort-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var entries: [JSONValue] = []
        for (index, name) in inputs.keys.sorted().enumerated() {
            let tensor = inputs[name]!
            let file = folder.appendingPathComponent("input\(index).bin")
            let bytes = tensor.scalars.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
            try bytes.write(to: file)
            entries.append(.object([
                "name": .string(name), "shape": .array(tensor.shape.map { .number(Double($0)) }),
                "dtype": .string("float32"), "file": .string(file.path),
            ]))
        }
        let manifest = folder.appendingPathComponent("manifest.json")
        try JSONEncoder().encode(JSONValue.object(["inputs": .array(entries)])).write(to: manifest)

        let reply = try runScript(
            ["run", "--model", model.path, "--optimization", optimization.rawValue, "--threads", "\(intraOpThreads)",
             "--manifest", manifest.path, "--output-dir", folder.path],
            timeout: timeout)
        guard case .array(let outputs)? = reply["outputs"] else {
            throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "reply without outputs")
        }
        var result: [String: OnnxRuntimeTensor] = [:]
        for case .object(let output) in outputs {
            let tensor = try Self.readOutput(output)
            result[output["name"]?.string ?? "output\(result.count)"] = tensor
        }
        return result
    }

    private static func readOutput(_ output: [String: JSONValue]) throws -> OnnxRuntimeTensor {
        guard let path = output["file"]?.string, let dtype = output["dtype"]?.string,
            case .array(let dims)? = output["shape"]
        else { throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "output entry \(output) is incomplete") }
        let shape = dims.compactMap { $0.number.map { Int($0) } }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let scalars: [Float]
        switch dtype {
        case "float32": scalars = decode(data, as: UInt32.self).map { Float(bitPattern: $0) }
        case "float64": scalars = decode(data, as: UInt64.self).map { Float(Double(bitPattern: $0)) }
        case "int64": scalars = decode(data, as: UInt64.self).map { Float(Int64(bitPattern: $0)) }
        case "int32": scalars = decode(data, as: UInt32.self).map { Float(Int32(bitPattern: $0)) }
        case "bool", "uint8": scalars = data.map { Float($0) }
        default:
            throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "unsupported output dtype \(dtype)")
        }
        guard scalars.count == shape.reduce(1, *) else {
            throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "output \(path) has \(scalars.count) values for shape \(shape)")
        }
        return OnnxRuntimeTensor(shape: shape, scalars: scalars, elementType: dtype)
    }

    private static func decode<Word: FixedWidthInteger>(_ data: Data, as _: Word.Type) -> [Word] {
        var words = [Word](repeating: 0, count: data.count / MemoryLayout<Word>.size)
        _ = words.withUnsafeMutableBytes { data.copyBytes(to: $0) }
        return words.map { Word(littleEndian: $0) }
    }

    /// Runs the helper and decodes its JSON reply.
    private func runScript(_ arguments: [String], timeout: Double) throws -> [String: JSONValue] {
        let output = try ProcessRunner.run(python, arguments: ["-c", OnnxRuntimeScript.source] + arguments, timeout: timeout)
        let reply = output.standardOutputText.split(separator: "\n").last.flatMap {
            try? JSONDecoder().decode([String: JSONValue].self, from: Data($0.utf8))
        }
        let command = "\(python.path) <onnxruntime helper> \(arguments.joined(separator: " "))"
        if let message = reply?["error"]?.string {
            throw BackendError.processFailed(command: command, status: output.status, standardError: message)
        }
        guard output.status == 0 else {
            throw BackendError.processFailed(
                command: command, status: output.status, standardError: ProcessRunner.tail(output.standardErrorText))
        }
        guard let reply else {
            throw BackendError.invalidOutput(tool: "onnxruntime helper", reason: "no JSON object on standard output")
        }
        return reply
    }
}
