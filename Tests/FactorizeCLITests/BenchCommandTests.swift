import Foundation
import TestSupport
import Testing

@testable import FactorizeCLI

@Test func benchJSONHasLatencyThroughputMemoryAndSize() throws {
    let model = try savedModel(tinyClassifier())
    let (status, out, err) = runCapturing([
        "bench", model.path, "--runtime", "builtin", "--iterations", "5", "--warmup", "1", "--threads", "1", "--json",
    ])
    #expect(status == 0, "\(err)")
    let object = try jsonObject(out)
    #expect(object["runtime"] as? String == "builtin")
    let latency = try #require(object["latency_ms"] as? [String: Double])
    #expect(Set(latency.keys) == ["min", "mean", "median", "p90", "p95", "p99", "max"])
    #expect(latency["min"]! <= latency["median"]!)
    #expect(latency["median"]! <= latency["max"]!)
    #expect((object["throughput_per_s"] as? Double ?? 0) > 0)
    #expect((object["peak_memory_bytes"] as? Int ?? 0) > 0)
    #expect(object["model_bytes"] as? Int == fileSize(model))
    #expect(object["parameters"] as? Int == 754)
    #expect(object["macs"] as? Int == 127_088)
}

@Test func benchUsesTheRequestedBatch() throws {
    let model = try savedModel(tinyClassifier())
    let (_, out, _) = runCapturing(["bench", model.path, "--batch", "3", "--iterations", "2", "--warmup", "0", "--json"])
    let object = try jsonObject(out)
    #expect(object["batch_size"] as? Int == 3)
    let extras = try #require(object["extras"] as? [String: Any])
    #expect((extras["input_shapes"] as? [String: [Int]])?["x"] == [3, 1, 28, 28])
}

@Test func benchWithoutTrtexecIsUnavailableButSucceeds() throws {
    let model = try savedModel(tinyClassifier())
    let (status, out, err) = runCapturing([
        "bench", model.path, "--runtime", "tensorrt", "--trtexec", "/nonexistent/trtexec", "--json",
    ])
    #expect(status == 0)
    let object = try jsonObject(out)
    #expect(object["status"] as? String == "unavailable")
    #expect((object["message"] as? String)?.hasPrefix("unavailable: trtexec not found") == true)
    #expect(err.contains("trtexec not found"))
}

@Test(.enabled(if: TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log") != nil, "trtexec log fixture missing"))
func benchImportsASavedTrtexecLog() throws {
    let model = try savedModel(tinyClassifier())
    let log = try #require(TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log"))
    let (status, out, err) = runCapturing([
        "bench", model.path, "--runtime", "tensorrt", "--trtexec-log", log.path, "--json",
    ])
    #expect(status == 0, "\(err)")
    let object = try jsonObject(out)
    #expect(object["status"] as? String == "ok")
    let latency = try #require(object["latency_ms"] as? [String: Double])
    #expect(latency["median"] != nil)
    #expect(latency["p99"] != nil)
    #expect((object["throughput_per_s"] as? Double ?? 0) > 0)
}

@Test func benchRejectsIterationsWithDuration() throws {
    let model = try savedModel(tinyClassifier())
    let (status, _, err) = runCapturing(["bench", model.path, "--iterations", "5", "--duration", "1"])
    #expect(status == 64)
    #expect(err.contains("--iterations"))
    #expect(err.contains("--duration"))
}

@Test func benchRejectsUnknownRuntimeNamingIt() throws {
    let model = try savedModel(tinyClassifier())
    let (status, _, err) = runCapturing(["bench", model.path, "--runtime", "tflite"])
    #expect(status == 64)
    #expect(err.contains("'tflite'"))
}

@Test func benchRejectsPrecisionOutsideTensorRT() throws {
    let model = try savedModel(tinyClassifier())
    let (status, _, err) = runCapturing(["bench", model.path, "--precision", "fp16"])
    #expect(status == 64)
    #expect(err.contains("--precision"))
}
