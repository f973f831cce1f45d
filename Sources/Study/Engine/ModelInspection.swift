import Foundation
import Graph

/// Per-layer and total size and cost of a model, from `Graph.layerStatistics`:
/// parameters are the learnable weights (BatchNorm running statistics excluded), MACs
/// count one multiply-add per kernel tap of Conv, Gemm and MatMul nodes.
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
                shapesByInput[input.name] = dims.map { $0.extent ?? 1 }
            }
        }
        let statistics = try layerStatistics(model, inputShapes: shapesByInput)
        layers = statistics.layers.map { layer in
            Layer(
                name: layer.name, opType: layer.opType, outputShape: layer.outputShape?.knownExtents,
                parameters: layer.parameters, macs: layer.macs ?? 0)
        }
        parameters = statistics.totalParameters
        macs = statistics.totalMACs
        opset = statistics.opset
        inputs = statistics.inputs.filter { model.graph.initializers[$0.name] == nil }.map { ($0.name, $0.shape?.knownExtents) }
        outputs = statistics.outputs.map { ($0.name, $0.shape?.knownExtents) }
    }
}
