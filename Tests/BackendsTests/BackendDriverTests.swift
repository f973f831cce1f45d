import Backends
import Foundation
import TestSupport
import Testing

/// Writes an executable shell script named `trtexec` that prints a banner for
/// `--help`, and otherwise writes the engine, profile and times files it is given and prints `log`.
private func makeScriptedTrtexec(in folder: URL, banner: String, log: URL) throws -> URL {
    let script = """
        #!/bin/sh
        echo "&&&& RUNNING TensorRT.trtexec [\(banner)] # trtexec $*"
        [ "$1" = "--help" ] && exit 0
        for argument in "$@"; do
          case "$argument" in
            --saveEngine=*) printf 'engine-bytes' > "${argument#--saveEngine=}" ;;
            --exportTimes=*) printf '[{ "startComputeMs" : 100, "latencyMs" : 9 }, { "startComputeMs" : 300, "latencyMs" : 3 }]' > "${argument#--exportTimes=}" ;;
            --exportProfile=*) printf '[{ "count" : 2 }, { "name" : "conv", "timeMs" : 1, "averageMs" : 0.5, "percentage" : 100 }]' > "${argument#--exportProfile=}" ;;
          esac
        done
        cat "\(log.path)"
        """
    let url = folder.appendingPathComponent("trtexec")
    try Data(script.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    return url
}

@Suite struct TensorRTBackendTests {
    @Test func missingTrtexecIsUnavailable() throws {
        let backend = TensorRTBackend(trtexec: URL(fileURLWithPath: "/nonexistent/trtexec"))
        let result = try backend.benchmark(BenchmarkRequest(model: URL(fileURLWithPath: "/nonexistent/model.onnx")))
        #expect(result.status == .unavailable)
        #expect(result.message == "unavailable: trtexec not found at /nonexistent/trtexec")
        #expect(result.latencyMilliseconds == nil)
    }

    @Test(.enabled(if: TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log") != nil, "needs the trtexec fixture logs"))
    func scriptedTrtexecRunEndToEnd() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = try #require(TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log"))
        let trtexec = try makeScriptedTrtexec(in: folder, banner: "TensorRT v8601", log: log)
        let model = folder.appendingPathComponent("model.onnx")
        try Data("onnx".utf8).write(to: model)

        let backend = TensorRTBackend(trtexec: trtexec, precision: .fp16, workDirectory: folder)
        let result = try backend.benchmark(BenchmarkRequest(model: model, inputShapes: ["input": [4, 3, 224, 224]], iterations: 50))
        #expect(result.status == .ok)
        #expect(result.latencyMilliseconds?.p95 == 10.8698)
        #expect(result.throughputPerSecond == 130.298)
        #expect(result.modelBytes == 12)
        #expect(result.batchSize == 4)
        #expect(result.extras["tensorrt_version"] == .string("8.6.1"))
        let command = try #require(result.extras["command"]?.string)
        #expect(command.contains("--fp16"))
        #expect(command.contains("--shapes=input:4x3x224x224"))
        #expect(command.contains("--iterations=50"))
        guard case .object(let profile)? = result.extras["layer_profile"] else {
            Issue.record("no layer profile in \(result.extras)")
            return
        }
        #expect(profile["iterations"] == .number(2))
        // The warm-up lasts 200 ms, so only the inference starting at 300 ms counts.
        guard case .object(let traced)? = result.extras["latency_from_exported_times_ms"] else {
            Issue.record("no statistics from the exported times in \(result.extras)")
            return
        }
        #expect(traced["min"] == .number(3))
        #expect(traced["max"] == .number(3))
    }

    @Test(.enabled(if: TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log") != nil, "needs the trtexec fixture logs"))
    func release11RejectsFP16BeforeRunning() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = try #require(TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log"))
        let trtexec = try makeScriptedTrtexec(in: folder, banner: "TensorRT v110401", log: log)
        let model = folder.appendingPathComponent("model.onnx")
        try Data("onnx".utf8).write(to: model)
        let backend = TensorRTBackend(trtexec: trtexec, precision: .fp16, workDirectory: folder)
        #expect(throws: BackendError.self) { try backend.benchmark(BenchmarkRequest(model: model)) }
    }
}

@Suite struct BenchmarkResultTests {
    @Test func jsonUsesStableKeys() throws {
        let result = BenchmarkResult(
            runtime: "onnxruntime", latencyMilliseconds: LatencyStatistics(min: 1, mean: 2, median: 2, p90: 3, p95: 3.5, p99: 4, max: 5),
            throughputPerSecond: 500, peakMemoryBytes: 1024, modelBytes: 2048, batchSize: 1, extras: ["threads": .number(2)])
        let json = try #require(try JSONSerialization.jsonObject(with: result.jsonData()) as? [String: Any])
        #expect(
            Set(json.keys) == ["runtime", "status", "latency_ms", "throughput_per_s", "peak_memory_bytes", "model_bytes", "batch_size", "extras"])
        #expect(Set((json["latency_ms"] as? [String: Double] ?? [:]).keys) == ["min", "mean", "median", "p90", "p95", "p99", "max"])
        #expect(try JSONDecoder().decode(BenchmarkResult.self, from: result.jsonData()) == result)
    }

    @Test func unavailableResultCarriesReason() throws {
        let json = try #require(
            try JSONSerialization.jsonObject(with: BenchmarkResult.unavailable(runtime: "tensorrt", reason: "trtexec not found").jsonData())
                as? [String: Any])
        #expect(json["status"] as? String == "unavailable")
        #expect(json["message"] as? String == "unavailable: trtexec not found")
        #expect(json["latency_ms"] == nil)
    }

    @Test func percentilesInterpolateLinearly() {
        // For 1...101, the p-th percentile with linear interpolation is exactly p + 1.
        let statistics = LatencyStatistics(samples: (1...101).map(Double.init).shuffled())
        #expect(statistics == LatencyStatistics(min: 1, mean: 51, median: 51, p90: 91, p95: 96, p99: 100, max: 101))
        #expect(LatencyStatistics.percentile(25, ofSorted: [0, 10]) == 2.5)
        #expect(LatencyStatistics(samples: []) == LatencyStatistics())
    }
}
