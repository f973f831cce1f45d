import Backends
import Foundation
import Graph
import TestSupport
import Testing

/// Saves a model of one Gemm and returns its file: y [N, 4] = x [N, 3] · Wᵀ + b.
private func gemmModelFile() throws -> URL {
    let graph = Graph(
        name: "gemm",
        nodes: [Node(name: "fc", opType: "Gemm", inputs: ["x", "w", "b"], outputs: ["y"], attributes: ["transB": .int(1)])],
        initializers: [
            "w": TensorData(floats: (0..<12).map { Float($0) / 12 }, shape: [4, 3]),
            "b": TensorData(floats: [0, 1, 2, 3], shape: [4]),
        ],
        inputs: [ValueInfo(name: "x", elementType: .float, shape: [.symbolic("N"), .known(3)])],
        outputs: [ValueInfo(name: "y", elementType: .float, shape: [.symbolic("N"), .known(4)])])
    let url = try TestEnvironment.makeTemporaryDirectory("factorize-builtin").appendingPathComponent("gemm.onnx")
    try Model(graph: graph).save(to: url)
    return url
}

@Suite struct BuiltinBackendTests {
    @Test func timesExactlyTheRequestedIterations() throws {
        let request = BenchmarkRequest(model: try gemmModelFile(), warmupIterations: 2, iterations: 7)
        let result = try BuiltinBackend(threads: 1).benchmark(request)
        #expect(result.status == .ok)
        #expect(result.extras["runs"] == .number(7))
        let latency = try #require(result.latencyMilliseconds)
        #expect([latency.min, latency.mean, latency.median, latency.p90, latency.p95, latency.p99, latency.max].allSatisfy { $0 != nil })
    }

    @Test func runsTheBatchTheShapesAsk() throws {
        let request = BenchmarkRequest(model: try gemmModelFile(), inputShapes: ["x": [5, 3]], warmupIterations: 0, iterations: 1)
        let result = try BuiltinBackend(threads: 1).benchmark(request)
        #expect(result.batchSize == 5)
        #expect(result.extras["input_shapes"] == .object(["x": .array([.number(5), .number(3)])]))
    }

    @Test func reportsModelSizeAndPeakMemory() throws {
        let model = try gemmModelFile()
        let result = try BuiltinBackend(optimize: false, threads: 1).benchmark(BenchmarkRequest(model: model, iterations: 1))
        let size = try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int
        #expect(result.modelBytes == size)
        #expect((result.peakMemoryBytes ?? 0) > 0)
        #expect(result.extras["optimize"] == .bool(false))
    }

    @Test func missingModelThrowsNamingThePath() throws {
        #expect(throws: BackendError.fileNotFound(path: "/nonexistent/model.onnx")) {
            try BuiltinBackend().benchmark(BenchmarkRequest(model: URL(fileURLWithPath: "/nonexistent/model.onnx")))
        }
    }

    @Test func randomInputsAreSeeded() throws {
        let model = try Model.load(from: try gemmModelFile())
        let first = BuiltinBackend.randomInputs(for: model, shapes: [:], seed: 3)
        #expect(first == BuiltinBackend.randomInputs(for: model, shapes: [:], seed: 3))
        #expect(first != BuiltinBackend.randomInputs(for: model, shapes: [:], seed: 4))
        #expect(first["x"]?.shape == [1, 3])
    }
}

@Test func processStatusFieldReadsKilobytesSeparatedByTabs() {
    let status = "Name:\tfactorize\nVmPeak:\t  200000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t     999 kB\n"
    #expect(ProcessMemory.statusField("VmHWM", in: status) == 1234 * 1024)
    #expect(ProcessMemory.statusField("VmSwap", in: status) == nil)
}
