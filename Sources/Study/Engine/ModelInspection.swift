import Foundation
import Graph

/// Per-layer and total size and cost of a model, from shape inference.
///
/// Parameters are the elements of float initializers, each counted once at the first node
/// that reads it (the same total `Factorization.compressModel` reports). Multiply-accumulates
/// follow `Factorization.multiplyAccumulates`: for a Conv, output elements × (I/group)·k_h·k_w;
/// for Gemm and MatMul, output elements × the contracted extent; other nodes count zero.
public struct ModelInspection: Sendable, Equatable {
    /// One node of the graph.
    public struct Layer: Sendable, Equatable {
        public var name: String
        public var opType: String
        /// Shape of the node's first output; nil where an extent is unknown.
        public var outputShape: [Int]?
        public var parameters: Int
        public var macs: Int
    }

    public var layers: [Layer]
    public var parameters: Int
    /// Multiply-accumulates of one inference at the inspected input shapes.
    public var macs: Int
    public var opset: Int
    /// Graph inputs without initializers and the graph outputs, with their shapes.
    public var inputs: [(name: String, shape: [Int]?)]
    public var outputs: [(name: String, shape: [Int]?)]

    public static func == (lhs: ModelInspection, rhs: ModelInspection) -> Bool {
        lhs.layers == rhs.layers && lhs.parameters == rhs.parameters && lhs.macs == rhs.macs && lhs.opset == rhs.opset
            && lhs.inputs.map(\.name) == rhs.inputs.map(\.name) && lhs.outputs.map(\.name) == rhs.outputs.map(\.name)
    }

    /// Inspects `model` at `inputShapes` (declared shapes otherwise; unknown extents become 1).
    /// - Throws: `GraphError` when shapes cannot be inferred.
    public init(model: Model, inputShapes: [String: [Int]] = [:]) throws {
        var shapesByInput = inputShapes
        for input in model.graph.inputs where shapesByInput[input.name] == nil && model.graph.initializers[input.name] == nil {
            if let dims = input.shape {
                shapesByInput[input.name] = dims.map { dim -> Int in
                    if case .known(let extent) = dim { return extent }
                    return 1
                }
            }
        }
        let shapes = try inferShapes(model, inputShapes: shapesByInput)
        func extents(_ name: String?) -> [Int]? {
            guard let name, let dims = shapes[name]?.shape ?? model.graph.initializers[name].map({ $0.shape.map(Dim.known) })
            else { return nil }
            var result: [Int] = []
            for dim in dims {
                guard case .known(let value) = dim else { return nil }
                result.append(value)
            }
            return result
        }

        var counted: Set<String> = []
        layers = model.graph.nodes.map { node in
            var parameters = 0
            for input in node.inputs where !counted.contains(input) {
                guard let tensor = model.graph.initializers[input], tensor.elementType == .float else { continue }
                counted.insert(input)
                parameters += tensor.count
            }
            let output = extents(node.outputs.first)
            let macs = output.map { Self.macs(of: node, outputElements: $0.reduce(1, *), extents: extents) } ?? 0
            return Layer(name: node.name, opType: node.opType, outputShape: output, parameters: parameters, macs: macs)
        }
        parameters = model.graph.initializers.values.filter { $0.elementType == .float }.reduce(0) { $0 + $1.count }
        macs = layers.reduce(0) { $0 + $1.macs }
        opset = model.opsetVersion
        inputs = model.graph.inputs.filter { model.graph.initializers[$0.name] == nil }.map { ($0.name, extents($0.name)) }
        outputs = model.graph.outputs.map { ($0.name, extents($0.name)) }
    }

    private static func macs(of node: Node, outputElements: Int, extents: (String?) -> [Int]?) -> Int {
        switch node.opType {
        case "Conv":
            guard let weight = extents(node.input(1)), weight.count >= 3 else { return 0 }
            return outputElements * weight.dropFirst().reduce(1, *)
        case "Gemm":
            guard let a = extents(node.input(0)), a.count == 2 else { return 0 }
            return outputElements * (node.int("transA", default: 0) != 0 ? a[0] : a[1])
        case "MatMul":
            guard let a = extents(node.input(0)), let k = a.last else { return 0 }
            return outputElements * k
        default:
            return 0
        }
    }
}
