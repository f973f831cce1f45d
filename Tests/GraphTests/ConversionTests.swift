import Foundation
import Graph
import ONNX
import Testing
import TestSupport

@Suite("ModelProto conversion")
struct ConversionTests {
    @Test("round trip keeps every fixture", .enabled(if: FixtureModels.available, "fixtures folder is missing"),
          arguments: FixtureModels.allPaths)
    func roundTrip(path: String) throws {
        let model = try FixtureModels.load(path)
        let bytes = try ONNXFile.encode(model.proto)
        let decoded = try Model(proto: ONNXFile.read(bytes: bytes))
        #expect(decoded == model)
    }

    @Test("torchvision weights stay graph inputs", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func torchvisionInputs() throws {
        let model = try FixtureModels.loadTorchvision("resnet18")
        #expect(model.graph.inputs.count == 43)
        #expect(model.graph.inputs.first?.name == "input")
        #expect(model.graph.inputs.first?.shape == [.known(1), .known(3), .known(224), .known(224)])
        #expect(model.graph.initializers.isEmpty)
        #expect(model.opsetVersion == 17)
        #expect(model.producerName == "pytorch")
    }

    @Test("initializers listed as inputs are not inputs")
    func initializerInputsDropped() throws {
        var graph = GraphProto()
        graph.input = [
            ValueInfoProto(name: "x", type: TypeProto(tensorType: .init(elementType: .float, shape: [ShapeDimension(.value(2))]))),
            ValueInfoProto(name: "w", type: TypeProto(tensorType: .init(elementType: .float, shape: [ShapeDimension(.value(2))]))),
        ]
        var weight = TensorProto()
        weight.name = "w"
        weight.dims = [2]
        weight.dataType = .float
        weight.floatData = [1.5, -2]
        graph.initializer = [weight]
        var node = NodeProto()
        node.opType = "Add"
        node.name = "add"
        node.input = ["x", "w"]
        node.output = ["y"]
        graph.node = [node]
        var proto = ModelProto()
        proto.graph = graph
        proto.irVersion = 7

        let model = try Model(proto: proto)
        #expect(model.graph.inputs.map(\.name) == ["x"])
        #expect(model.graph.initializers["w"]?.floats() == [1.5, -2])
    }

    @Test("typed tensor fields become little-endian bytes")
    func typedFields() throws {
        var tensor = TensorProto()
        tensor.name = "t"
        tensor.dims = [3]
        tensor.dataType = .int64
        tensor.int64Data = [1, -1, 1 << 40]
        let data = try TensorData(proto: tensor)
        #expect(data.bytes == Data([1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 0, 1, 0, 0]))
        #expect(data.integers() == [1, -1, 1 << 40])
    }

    @Test("tensor with too few bytes is rejected")
    func shortTensor() throws {
        var tensor = TensorProto()
        tensor.name = "short"
        tensor.dims = [4]
        tensor.dataType = .float
        tensor.rawData = Data(count: 12)
        let expected = GraphError.unsupportedTensor(name: "short", reason: "shape [4] of float needs 16 bytes, the tensor holds 12")
        #expect(throws: expected) {
            try TensorData(proto: tensor)
        }
    }

    @Test("model fields survive conversion")
    func modelFields() throws {
        var model = Model(graph: Graph(name: "g"), opsets: ["": 13, "com.microsoft": 1],
                          metadata: [("b", "2"), ("a", "1")], irVersion: 7, producerName: "p", producerVersion: "v")
        model.graph.outputs = [ValueInfo(name: "y", elementType: .float, shape: [.symbolic("batch"), .unknown])]
        let proto = model.proto
        #expect(proto.opsetImport.map(\.domain) == ["", "com.microsoft"])
        #expect(proto.metadataProps.map(\.key) == ["b", "a"])
        #expect(try Model(proto: proto) == model)
    }

    @Test("save writes a file ONNX reads", .enabled(if: FixtureModels.available, "fixtures folder is missing"))
    func saveAndLoad() throws {
        let model = try FixtureModels.load(FixtureModels.efficientNet)
        let folder = try TestEnvironment.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.onnx")
        try model.save(to: url)
        #expect(try Model.load(from: url) == model)
    }
}

@Suite("ModelProto conversion of old IR versions")
struct OldIRConversionTests {
    @Test("IR 3 lists initializers as inputs")
    func initializersListed() throws {
        let graph = Graph(
            nodes: [Node(name: "add", opType: "Add", inputs: ["x", "w"], outputs: ["y"])],
            initializers: ["w": TensorData(floats: [1], shape: [1])],
            inputs: [ValueInfo(name: "x", elementType: .float, shape: [.known(1)])],
            outputs: [ValueInfo(name: "y", elementType: .float, shape: [.known(1)])])
        let model = Model(graph: graph, opsets: ["": 8], irVersion: 3)
        #expect(model.proto.graph?.input.map(\.name) == ["x", "w"])
        #expect(try Model(proto: model.proto) == model)
        var current = model
        current.irVersion = 8
        #expect(current.proto.graph?.input.map(\.name) == ["x"])
    }
}
