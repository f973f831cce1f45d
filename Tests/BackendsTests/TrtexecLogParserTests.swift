import Backends
import Foundation
import TestSupport
import Testing

private func fixtureLog(_ name: String) throws -> String {
    let url = try #require(TestEnvironment.fixture("trtexec/\(name)"))
    return try String(contentsOf: url, encoding: .utf8)
}

private let hasTrtexecFixtures = TestEnvironment.fixture("trtexec/trt8.5plus-three-percentiles.log") != nil

@Suite(.enabled(if: hasTrtexecFixtures, "needs the trtexec logs in ../shared/fixtures/trtexec"))
struct TrtexecFixtureTests {
    @Test func endToEndFormatOfRelease82() throws {
        let summary = TrtexecLogParser.parse(try fixtureLog("trt8.2-end-to-end-xavier-nx.log"))
        #expect(summary.throughputQueriesPerSecond == 27207)
        #expect(summary.latency == LatencyStatistics(min: 0.564209, mean: 0.573891, median: 0.572998, p99: 0.587769, max: 0.593018))
        #expect(summary.endToEndHostLatency?.mean == 0.586663)
        #expect(summary.enqueueTime?.median == 0.134277)
        #expect(summary.hostToDeviceLatency?.p99 == 0.00708008)
        #expect(summary.gpuComputeTime?.min == 0.554932)
        #expect(summary.deviceToHostLatency?.max == 0.00341797)
        #expect(summary.totalHostWalltimeSeconds == 3.00158)
        #expect(summary.totalGPUComputeTimeSeconds == 2.88214)
        #expect(summary.warnings.isEmpty)
        #expect(summary.passed == nil)
    }

    @Test func onePercentileAndPassedLineOfRelease84() throws {
        let summary = TrtexecLogParser.parse(try fixtureLog("trt8.4-passed-line-xavier-agx.log"))
        #expect(summary.passed == true)
        #expect(summary.version == TensorRTVersion(major: 8, minor: 4, patch: 0))
        #expect(summary.throughputQueriesPerSecond == 41087.7)
        #expect(summary.latency.p99 == 0.420288)
        #expect(summary.latency.p90 == nil)
        #expect(summary.latency.p95 == nil)
        #expect(summary.endToEndHostLatency == nil)
    }

    @Test func varianceWarningWithoutDataTransfers() throws {
        let summary = TrtexecLogParser.parse(try fixtureLog("trt8.4-no-data-transfers-warning.log"))
        #expect(summary.hostToDeviceLatency == LatencyStatistics(min: 0, mean: 0, median: 0, p99: 0, max: 0))
        #expect(summary.deviceToHostLatency?.max == 0)
        #expect(summary.warnings.count == 2)
        #expect(summary.warnings.first == "* GPU compute time is unstable, with coefficient of variance = 2.10486%.")
        #expect(summary.latency.mean == 1.38629)
    }

    @Test func threePercentilesOfRelease85() throws {
        let summary = TrtexecLogParser.parse(try fixtureLog("trt8.5plus-three-percentiles.log"))
        #expect(
            summary.latency
                == LatencyStatistics(min: 5.38672, mean: 7.60628, median: 7.16092, p90: 10.2996, p95: 10.8698, p99: 12.9675, max: 13.3664))
        #expect(summary.gpuComputeTime?.p95 == 10.8175)
        #expect(summary.throughputQueriesPerSecond == 130.298)
    }

    @Test func resultOmitsWhatLogLacks() throws {
        let summary = TrtexecLogParser.parse(try fixtureLog("trt8.4-passed-line-xavier-agx.log"))
        let result = TensorRTBackend.result(summary: summary, batchSize: 16)
        let json = try #require(try JSONSerialization.jsonObject(with: result.jsonData()) as? [String: Any])
        let latency = try #require(json["latency_ms"] as? [String: Double])
        #expect(Set(latency.keys) == ["min", "mean", "median", "p99", "max"])
        #expect(json["peak_memory_bytes"] == nil)
        #expect(json["throughput_per_s"] as? Double == 41087.7)
        #expect((json["extras"] as? [String: Any])?["tensorrt_version"] as? String == "8.4.0")
    }
}

@Suite struct TrtexecLegacyFormatTests {
    /// The 7.x layout, as `printEpilog` of TensorRT 7.0 and 7.1 writes it.
    @Test func sectionsOfRelease7() {
        let log = """
            &&&& RUNNING TensorRT.trtexec # ./trtexec --onnx=model.onnx --explicitBatch
            [06/01/2020-10:00:00] [I] Host Latency
            [06/01/2020-10:00:00] [I] min: 1.5 ms (end to end 2.75 ms)
            [06/01/2020-10:00:00] [I] max: 3.25 ms (end to end 5.5 ms)
            [06/01/2020-10:00:00] [I] mean: 1.75 ms (end to end 3 ms)
            [06/01/2020-10:00:00] [I] median: 1.625 ms (end to end 2.875 ms)
            [06/01/2020-10:00:00] [I] percentile: 2.5 ms at 99% (end to end 4.5 ms at 99%)
            [06/01/2020-10:00:00] [I] throughput: 571.5 qps
            [06/01/2020-10:00:00] [I] walltime: 3.002 s
            [06/01/2020-10:00:00] [I] GPU Compute
            [06/01/2020-10:00:00] [I] min: 1.25 ms
            [06/01/2020-10:00:00] [I] max: 3 ms
            [06/01/2020-10:00:00] [I] mean: 1.5 ms
            [06/01/2020-10:00:00] [I] median: 1.375 ms
            [06/01/2020-10:00:00] [I] percentile: 2.25 ms at 99%
            [06/01/2020-10:00:00] [I] total compute time: 2.57 s
            &&&& PASSED TensorRT.trtexec # ./trtexec --onnx=model.onnx --explicitBatch
            """
        let summary = TrtexecLogParser.parse(log)
        #expect(summary.latency == LatencyStatistics(min: 1.5, mean: 1.75, median: 1.625, p99: 2.5, max: 3.25))
        #expect(summary.endToEndHostLatency == LatencyStatistics(min: 2.75, mean: 3, median: 2.875, p99: 4.5, max: 5.5))
        #expect(summary.gpuComputeTime == LatencyStatistics(min: 1.25, mean: 1.5, median: 1.375, p99: 2.25, max: 3))
        #expect(summary.throughputQueriesPerSecond == 571.5)
        #expect(summary.totalHostWalltimeSeconds == 3.002)
        #expect(summary.totalGPUComputeTimeSeconds == 2.57)
        #expect(summary.passed == true)
    }

    @Test func averageLinesBeforeRelease7() {
        let log = """
            Average over 10 runs is 2 ms (host walltime is 2.1 ms, 99% percentile time is 2.5).
            Average over 30 runs is 4 ms (host walltime is 4.2 ms, 99% percentile time is 4.9).
            """
        let summary = TrtexecLogParser.parse(log)
        #expect(summary.runAverages.count == 2)
        #expect(summary.hasLatency)
        // (10 * 2 + 30 * 4) / 40 = 3.5 ms over all 40 runs.
        #expect(summary.reportedLatency == LatencyStatistics(mean: 3.5))
    }

    @Test func release10SummaryWithMemoryLines() {
        let log = """
            &&&& RUNNING TensorRT.trtexec [TensorRT v101601] # trtexec --onnx=m.onnx
            [09/19/2025-22:15:34] [I] [TRT] Total Host Persistent Memory: 170400
            [09/19/2025-22:15:34] [I] [TRT] Total Device Persistent Memory: 125895680
            [09/19/2025-22:15:34] [I] [TRT] Total Scratch Memory: 59641344
            [09/19/2025-22:15:35] [I] [TRT] Loaded engine size: 245 MiB
            [09/19/2025-22:15:36] [I] Total Activation Memory: 1048576
            [09/19/2025-22:15:40] [I] === Performance summary ===
            [09/19/2025-22:15:40] [I] Throughput: 1000.5 qps
            [09/19/2025-22:15:40] [I] Latency: min = 0.9 ms, max = 1.5 ms, mean = 1 ms, median = 0.95 ms, percentile(90%) = 1.1 ms, percentile(95%) = 1.2 ms, percentile(99%) = 1.4 ms
            [09/19/2025-22:15:40] [E] Error[3]: something unrelated
            &&&& PASSED TensorRT.trtexec [TensorRT v101601] # trtexec --onnx=m.onnx
            """
        let summary = TrtexecLogParser.parse(log)
        #expect(summary.version == TensorRTVersion(major: 10, minor: 16, patch: 1))
        #expect(summary.latency.p90 == 1.1)
        #expect(summary.engineSizeMiB == 245)
        #expect(summary.memoryBytes["device_persistent"] == 125_895_680)
        #expect(summary.memoryBytes["activation"] == 1_048_576)
        #expect(summary.memoryBytes["scratch"] == 59_641_344)
        #expect(summary.errors == ["Error[3]: something unrelated"])
        #expect(TensorRTBackend.result(summary: summary).peakMemoryBytes == 125_895_680 + 1_048_576)
    }

    @Test func statisticsWithoutEqualsSigns() {
        let summary = TrtexecLogParser.parse(
            "Latency: min = 5.38959 ms, max 6.19507 ms, mean 5.93288 ms, median 6.02185 ms, percentile(99%) 6.17407 ms")
        #expect(summary.latency == LatencyStatistics(min: 5.38959, mean: 5.93288, median: 6.02185, p99: 6.17407, max: 6.19507))
    }

    @Test func logWithoutSummaryHasNoLatency() {
        let summary = TrtexecLogParser.parse("[I] Building engine\n&&&& FAILED TensorRT.trtexec [TensorRT v8601]")
        #expect(!summary.hasLatency)
        #expect(summary.passed == false)
    }
}

@Suite struct TensorRTVersionTests {
    @Test func bannerNumbersOfEachEncoding() {
        #expect(TensorRTVersion(bannerNumber: 7103) == TensorRTVersion(major: 7, minor: 1, patch: 3))
        #expect(TensorRTVersion(bannerNumber: 8601) == TensorRTVersion(major: 8, minor: 6, patch: 1))
        #expect(TensorRTVersion(bannerNumber: 100001) == TensorRTVersion(major: 10, minor: 0, patch: 1))
        #expect(TensorRTVersion(bannerNumber: 110401) == TensorRTVersion(major: 11, minor: 4, patch: 1))
    }

    @Test func detectsVersionLine() {
        #expect(TensorRTVersion.detect(in: "[I] TensorRT version: 10.3.0") == TensorRTVersion(major: 10, minor: 3, patch: 0))
        #expect(TensorRTVersion.detect(in: "no banner") == nil)
    }
}
