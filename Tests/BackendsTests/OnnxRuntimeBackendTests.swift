import Backends
import Foundation
import TestSupport
import Testing

private let hasOnnxRuntime = TestEnvironment.pythonHasModules(["onnxruntime", "onnx", "numpy"])

/// Weights of the test model `y = relu(x W + b)` with x of shape [N, 4].
private let weights: [Float] = [0.5, -1, 2, 1.5, 0.25, -0.5, -2, 1, 0.75, 1, -0.125, 0.5]
private let bias: [Float] = [0.1, -0.2, 0.3]

/// Writes the test model with a symbolic batch dimension `N` and returns its path.
private func makeDenseModel(in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent("dense.onnx")
    let script = """
        import sys, numpy as np, onnx
        from onnx import helper, TensorProto, numpy_helper
        w = np.array(\(weights), dtype=np.float32).reshape(4, 3)
        b = np.array(\(bias), dtype=np.float32)
        graph = helper.make_graph(
            [helper.make_node('MatMul', ['x', 'w'], ['xw']), helper.make_node('Add', ['xw', 'b'], ['z']),
             helper.make_node('Relu', ['z'], ['y'])],
            'dense', [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 4])],
            [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 3])],
            [numpy_helper.from_array(w, 'w'), numpy_helper.from_array(b, 'b')])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)])
        model.ir_version = 8
        onnx.save(model, sys.argv[1])
        """
    try TestEnvironment.runPython(["-c", script, url.path])
    return url
}

@Suite struct OnnxRuntimeAvailabilityTests {
    @Test func missingInterpreterIsUnavailable() throws {
        let backend = OnnxRuntimeBackend(python: URL(fileURLWithPath: "/nonexistent/python3"))
        let result = try backend.benchmark(BenchmarkRequest(model: URL(fileURLWithPath: "/nonexistent/model.onnx")))
        #expect(result.status == .unavailable)
        #expect(result.message?.contains("/nonexistent/python3") == true)
    }

    @Test func environmentSelectsInterpreter() {
        let url = OnnxRuntimeBackend.defaultPython(environment: ["FACTORIZE_PYTHON": "/opt/venv/bin/python"])
        #expect(url.path == "/opt/venv/bin/python")
    }
}

@Suite(.enabled(if: hasOnnxRuntime, "needs the oracle Python with onnxruntime and onnx (set FACTORIZE_PYTHON)"))
struct OnnxRuntimeBackendTests {
    let backend = OnnxRuntimeBackend(python: TestEnvironment.python, intraOpThreads: 1)

    @Test func benchmarkReportsMeasuredStatistics() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try makeDenseModel(in: folder)

        let result = try backend.benchmark(BenchmarkRequest(model: model, inputShapes: ["x": [2, 4]], warmupIterations: 2, iterations: 25))
        #expect(result.status == .ok)
        #expect(result.batchSize == 2)
        #expect(result.extras["runs"] == .number(25))
        let latency = try #require(result.latencyMilliseconds)
        let minimum = try #require(latency.min)
        let median = try #require(latency.median)
        let maximum = try #require(latency.max)
        #expect(minimum > 0)
        #expect(minimum <= median)
        #expect(median <= maximum)
        #expect(latency.p99 != nil)
        #expect((result.throughputPerSecond ?? 0) > 0)
        // The peak must be this interpreter's own: creating the session raises it above the
        // peak measured after the imports, which a value inherited from the parent would hide.
        let peak = try #require(result.peakMemoryBytes)
        let baseline = try #require(result.extras["peak_rss_before_session_bytes"]?.number)
        #expect(Double(peak) > baseline)
        #expect(result.modelBytes == (try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int))
        #expect(result.extras["onnxruntime_version"]?.string?.isEmpty == false)
    }

    @Test(arguments: [OnnxRuntimeBackend.OptimizationLevel.all, .disable])
    func runReturnsModelOutputs(optimization: OnnxRuntimeBackend.OptimizationLevel) throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try makeDenseModel(in: folder)
        let input: [Float] = [1, 2, 3, 4, -1, 0.5, 0, 2]

        var backend = self.backend
        backend.optimization = optimization
        let outputs = try backend.run(model: model, inputs: ["x": OnnxRuntimeTensor(shape: [2, 4], scalars: input)])
        let y = try #require(outputs["y"])
        #expect(y.shape == [2, 3])
        #expect(y.elementType == "float32")

        for row in 0..<2 {
            for column in 0..<3 {
                var sum = Double(bias[column])
                for k in 0..<4 { sum += Double(input[row * 4 + k]) * Double(weights[k * 3 + column]) }
                let expected = Float(max(sum, 0))
                #expect(abs(y.scalars[row * 3 + column] - expected) <= 1e-5, "y[\(row), \(column)]")
            }
        }
    }

    @Test func runFailureNamesError() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try makeDenseModel(in: folder)
        do {
            _ = try backend.run(model: model, inputs: ["x": OnnxRuntimeTensor(shape: [1, 5], scalars: [1, 2, 3, 4, 5])])
            Issue.record("expected an error")
        } catch let error as BackendError {
            guard case .processFailed(_, _, let message) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(!message.isEmpty)
        }
    }
}
