import Foundation

/// Numeric precision that TensorRT may choose kernels in.
public enum TensorRTPrecision: String, Codable, Sendable, CaseIterable {
    case fp32
    case fp16
    case int8
}

/// The arguments of one trtexec run: build an engine from ONNX (or load one), then time it.
///
/// `arguments(for:)` spells each setting the way the given TensorRT release accepts it:
/// - 7.x needs `--explicitBatch` to parse ONNX; 8.x makes it the default.
/// - `--workspace=N` became `--memPoolSize=workspace:NM` in 8.4, and `--workspace` was removed in 10.0.
/// - Implicit batch (`--batch`) was removed in 10.0; use `shapes` instead.
/// - 11.x networks are always strongly typed and the precision flags (`--fp16`, `--int8`, …)
///   were removed, so FP16 or INT8 must already be in the ONNX model.
public struct TrtexecCommand: Equatable, Sendable {
    public var onnx: URL?
    public var loadEngine: URL?
    public var saveEngine: URL?
    /// Input shapes by input name, written as `--shapes=name:1x3x224x224,...` in name order.
    public var shapes: [String: [Int]] = [:]
    /// Implicit batch size (`--batch`), for TensorRT before 10.0 and non-ONNX engines only.
    public var batch: Int?
    public var precision: TensorRTPrecision = .fp32
    /// Minimum timed iterations (`--iterations`).
    public var iterations: Int?
    /// Minimum timed duration in seconds (`--duration`; trtexec takes whole seconds).
    public var durationSeconds: Int?
    /// Warm-up time in milliseconds before timing (`--warmUp`).
    public var warmUpMilliseconds: Int?
    /// Builder workspace limit in MiB.
    public var workspaceMiB: Int?
    /// Per-layer profile JSON to write (`--exportProfile`).
    public var exportProfile: URL?
    /// Per-inference timing JSON to write (`--exportTimes`).
    public var exportTimes: URL?
    /// Profile layers in a run separate from the timed one, so profiling does not inflate
    /// the reported latency (`--separateProfileRun`).
    public var separateProfileRun = false
    /// Further arguments passed through unchanged.
    public var extraArguments: [String] = []

    public init(onnx: URL? = nil, loadEngine: URL? = nil, saveEngine: URL? = nil) {
        self.onnx = onnx
        self.loadEngine = loadEngine
        self.saveEngine = saveEngine
    }

    /// Renders the arguments for `version`.
    /// - Throws: `BackendError.unsupportedOption` for a setting that release rejects.
    public func arguments(for version: TensorRTVersion) throws -> [String] {
        var arguments: [String] = []
        if let onnx {
            arguments.append("--onnx=\(onnx.path)")
            if version.major < 8 { arguments.append("--explicitBatch") }
        }
        if let loadEngine { arguments.append("--loadEngine=\(loadEngine.path)") }
        if let saveEngine { arguments.append("--saveEngine=\(saveEngine.path)") }

        if !shapes.isEmpty {
            let spec = shapes.keys.sorted().map { name in
                "\(name):" + shapes[name]!.map(String.init).joined(separator: "x")
            }
            arguments.append("--shapes=" + spec.joined(separator: ","))
        }
        if let batch {
            guard version.major < 10 else {
                throw BackendError.unsupportedOption(
                    runtime: "TensorRT \(version)", option: "--batch=\(batch)",
                    reason: "implicit batch was removed in TensorRT 10; give the batch in the input shapes")
            }
            arguments.append("--batch=\(batch)")
        }

        arguments += try precisionArguments(for: version)
        if let workspaceMiB {
            if version >= TensorRTVersion(major: 8, minor: 4, patch: 0) {
                arguments.append("--memPoolSize=workspace:\(workspaceMiB)M")
            } else {
                arguments.append("--workspace=\(workspaceMiB)")
            }
        }

        if let iterations { arguments.append("--iterations=\(iterations)") }
        if let durationSeconds { arguments.append("--duration=\(durationSeconds)") }
        if let warmUpMilliseconds { arguments.append("--warmUp=\(warmUpMilliseconds)") }
        if let exportProfile { arguments.append("--exportProfile=\(exportProfile.path)") }
        if let exportTimes { arguments.append("--exportTimes=\(exportTimes.path)") }
        if separateProfileRun { arguments.append("--separateProfileRun") }
        return arguments + extraArguments
    }

    private func precisionArguments(for version: TensorRTVersion) throws -> [String] {
        switch precision {
        case .fp32:
            return []
        case .fp16, .int8:
            guard version.major < 11 else {
                throw BackendError.unsupportedOption(
                    runtime: "TensorRT \(version)", option: precision.rawValue,
                    reason: "TensorRT 11 builds strongly typed networks and has no --fp16/--int8 flags; "
                        + "convert the ONNX model to \(precision.rawValue) first and benchmark it with precision fp32")
            }
            // NOTE: --int8 without --calib uses placeholder dynamic ranges, so INT8 timings are
            // representative but INT8 accuracy is not.
            return [precision == .fp16 ? "--fp16" : "--int8"]
        }
    }
}
