import Foundation
import ONNX
import TestSupport
import Testing

let pythonHasONNX = TestEnvironment.pythonHasModules(["onnx", "numpy"])

/// Builds a model with onnx.helper: typed-field tensors (float_data, int64_data, int32_data
/// for int8, bool and float16, double_data, uint64_data), a large raw float tensor saved as
/// external data in weights.bin, an If node with two subgraphs and metadata_props. Prints
/// one line per initializer: name, dims and the hex of its element bytes.
private let buildPythonModel = #"""
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto as T
folder = sys.argv[1]
rng = np.random.default_rng(0)
inits = [
    helper.make_tensor("f32_typed", T.FLOAT, [2, 3], rng.standard_normal(6).astype(np.float32).tolist()),
    helper.make_tensor("i64_typed", T.INT64, [3], [-5, 0, 1 << 40]),
    helper.make_tensor("i8_typed", T.INT8, [4], [-128, -1, 0, 127]),
    helper.make_tensor("bool_typed", T.BOOL, [3], [True, False, True]),
    helper.make_tensor("f16_typed", T.FLOAT16, [2], np.array([1.5, -65504], dtype=np.float16).tolist()),
    helper.make_tensor("f64_typed", T.DOUBLE, [2], [0.1, -1e300]),
    helper.make_tensor("u64_typed", T.UINT64, [2], [0, (1 << 64) - 1]),
    numpy_helper.from_array(rng.standard_normal((64, 32)).astype(np.float32), "big_raw"),
]
for t in inits:
    if t.name == "f32_typed": assert len(t.float_data) == 6
    if t.name == "f16_typed": assert len(t.int32_data) == 2
def branch(name, value):
    const = helper.make_node("Constant", [], [name + "_out"], value=helper.make_tensor(name + "_v", T.FLOAT, [1], [value]))
    return helper.make_graph([const], name, [], [helper.make_tensor_value_info(name + "_out", T.FLOAT, [1])])
cond = helper.make_tensor_value_info("cond", T.BOOL, [])
out = helper.make_tensor_value_info("y", T.FLOAT, [1])
node = helper.make_node("If", ["cond"], ["y"], name="choose", then_branch=branch("then", 1.0), else_branch=branch("else", 2.0))
graph = helper.make_graph([node], "g", [cond], [out], initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
helper.set_model_props(model, {"author": "oracle", "purpose": "typed fields"})
onnx.checker.check_model(model)
onnx.save(model, folder + "/model.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
          location="weights.bin", size_threshold=1024)
saved = onnx.load(folder + "/model.onnx", load_external_data=False)
assert any(t.data_location == T.EXTERNAL for t in saved.graph.initializer)
for t in inits:
    print(t.name, ",".join(map(str, t.dims)), numpy_helper.to_array(t).tobytes().hex())
"""#

/// Loads a model with onnx (external data included), checks it and compares every
/// initializer with the same-named one of a reference model. Prints "same" or the difference.
private let compareWithReference = #"""
import sys, numpy as np, onnx
from onnx import numpy_helper
written, reference = onnx.load(sys.argv[1]), onnx.load(sys.argv[2])
onnx.checker.check_model(sys.argv[1])
expected = {t.name: numpy_helper.to_array(t) for t in reference.graph.initializer}
actual = {t.name: numpy_helper.to_array(t) for t in written.graph.initializer}
assert expected.keys() == actual.keys(), "initializer names differ"
for name, value in expected.items():
    assert value.dtype == actual[name].dtype, name
    assert value.shape == actual[name].shape, name
    assert value.tobytes() == actual[name].tobytes(), name
external = sum(t.data_location == onnx.TensorProto.EXTERNAL for t in onnx.load(sys.argv[1], load_external_data=False).graph.initializer)
print("same", external)
"""#

@Suite("Python onnx as oracle", .enabled(if: pythonHasONNX, "needs FACTORIZE_PYTHON with onnx and numpy"))
struct PythonOracleTests {
    @Test("written fixture passes onnx.checker", .enabled(if: !fixtureModels.isEmpty, "fixtures folder is missing"),
        arguments: fixtureModels)
    func writtenFilePassesChecker(_ fixture: String) throws {
        let url = try #require(TestEnvironment.fixture(fixture))
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("model.onnx")
        try ONNXFile.write(try ONNXFile.read(url: url), to: copy)

        let output = try TestEnvironment.runPython(["-c", compareWithReference, copy.path, url.path])

        #expect(String(decoding: output, as: UTF8.self) == "same 0\n")
    }

    @Test("model written by onnx.helper reads correctly")
    func pythonWrittenModel() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = try TestEnvironment.runPython(["-c", buildPythonModel, folder.path])
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map { $0.split(separator: " ") }

        let model = try ONNXFile.read(url: folder.appendingPathComponent("model.onnx"))

        let graph = try #require(model.graph)
        let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        #expect(initializers.count == expected.count)
        for line in expected {
            let name = String(line[0])
            let tensor = try #require(initializers[name], "initializer \(name) missing")
            #expect(tensor.dims.map(String.init).joined(separator: ",") == line[1], "dims of \(name)")
            #expect(tensor.littleEndianBytes().map(hex) == String(line[2]), "bytes of \(name)")
        }
        #expect(initializers["f32_typed"]?.floatData.count == 6)
        #expect(initializers["f16_typed"]?.int32Data.count == 2)
        #expect(initializers["f64_typed"]?.doubleData.count == 2)
        #expect(initializers["big_raw"]?.dataLocation == .default)
        #expect(initializers["big_raw"]?.externalData.isEmpty == true)
    }

    @Test("If subgraphs and metadata_props from onnx.helper")
    func pythonSubgraphsAndMetadata() throws {
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestEnvironment.runPython(["-c", buildPythonModel, folder.path])

        let model = try ONNXFile.read(url: folder.appendingPathComponent("model.onnx"))

        let metadata = Dictionary(uniqueKeysWithValues: model.metadataProps.map { ($0.key, $0.value) })
        #expect(metadata == ["author": "oracle", "purpose": "typed fields"])
        let node = try #require(model.graph?.node.first)
        #expect(node.opType == "If")
        let branches = Dictionary(uniqueKeysWithValues: node.attribute.map { ($0.name, $0) })
        #expect(branches["then_branch"]?.type == .graph)
        #expect(branches["then_branch"]?.g?.name == "then")
        #expect(branches["else_branch"]?.g?.node.first?.opType == "Constant")
        let elseValue = try #require(branches["else_branch"]?.g?.node.first?.attribute.first?.t)
        #expect(elseValue.floatData == [2.0])
    }

    @Test("external data written here loads in onnx")
    func externalDataWriteLoadsInPython() throws {
        let url = try #require(TestEnvironment.fixture("real/efficientnet-lite0.onnx"))
        let original = try ONNXFile.read(url: url)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("model.onnx")

        try ONNXFile.write(original, to: copy, externalData: .singleFile(location: "weights.bin", threshold: 1024))
        let output = try TestEnvironment.runPython(["-c", compareWithReference, copy.path, url.path])

        let fields = String(decoding: output, as: UTF8.self).split(separator: " ")
        #expect(fields.first == "same")
        #expect(Int(fields.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0 > 0)
        let modelSize = try FileManager.default.attributesOfItem(atPath: copy.path)[.size] as? Int
        #expect((modelSize ?? .max) < 1_000_000)
        #expect(try ONNXFile.read(url: copy) == original)
    }
}

func hex(_ bytes: Data) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
