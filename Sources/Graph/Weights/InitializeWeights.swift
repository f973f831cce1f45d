/// Kind of weight input, which decides the distribution `initializeWeights` draws it from.
public enum WeightRole: String, Sendable, Codable {
    /// Conv, Gemm or MatMul weight: He-normal with standard deviation sqrt(2 / fan_in)
    /// (He, Zhang, Ren and Sun, "Delving Deep into Rectifiers", ICCV 2015).
    case weight
    /// MatMul weight, or Gemm weight with transB = 0, stored as [in, out]:
    /// He-normal with fan_in the first dimension.
    case inputMajorWeight
    /// Conv or Gemm bias: zeros.
    case bias
    /// BatchNormalization scale: 1 + N(0, 0.02²).
    case batchNormScale
    /// BatchNormalization bias: N(0, 0.02²).
    case batchNormBias
    /// BatchNormalization running mean: N(0, 0.1²).
    case runningMean
    /// BatchNormalization running variance: U(0.5, 1.5).
    case runningVariance
    /// Int64 axes of ReduceMean, ReduceSum or ReduceMax: the trailing axes of the data input,
    /// which is what a global average pooling reduces.
    case reductionAxes
    /// Int64 target shape of Reshape: -1 for the first axis and the data's extents
    /// with the trailing ones merged into the last axis, which is what a flatten before a classifier does.
    case reshapeShape
    /// Any other float input: He-normal over all but the first dimension, zeros for rank below 2.
    case other
}

/// Replaces every graph input except the data input with seeded random weights
/// and moves them to the initializers, producing a runnable model from a
/// structure-only export.
///
/// The data input is the first graph input unless a node reads it as a weight,
/// bias or BatchNorm statistic. Each input's role comes from its first consumer
/// (see `WeightRole`). Draws come from one `SplitMix64(seed:)` stream taken in
/// input declaration order, so a seed fixes every value on every platform.
/// Int64 inputs that exporters emit for reduction axes and Reshape targets get
/// the values a CNN classifier head uses, derived from inferred shapes.
///
/// Throws `GraphError.unknownInputShape` for a weight input without a fully known shape
/// and `GraphError.unsupportedTensor` for an input whose values cannot be chosen
/// (an integer input with another role, a weight that is not float32).
public func initializeWeights(_ model: Model, seed: UInt64) throws -> Model {
    var result = model
    var generator = SplitMix64(seed: seed)
    let roles = weightRoles(in: model.graph)

    var integerInputs: [ValueInfo] = []
    for (position, input) in model.graph.inputs.enumerated() {
        let role = roles[input.name]
        if position == 0 && role == nil { continue }
        if role == .reductionAxes || role == .reshapeShape {
            integerInputs.append(input)
            continue
        }
        guard let shape = input.shape?.knownExtents else { throw GraphError.unknownInputShape(input: input.name) }
        guard input.elementType == .float else {
            throw GraphError.unsupportedTensor(name: input.name, reason: "cannot choose values for a \(input.elementType) input; store it as an initializer")
        }
        let values = sampleWeights(role: role ?? .other, shape: shape, generator: &generator)
        result.graph.initializers[input.name] = TensorData(floats: values, shape: shape)
        result.graph.inputs.removeAll { $0.name == input.name }
    }

    // Integer inputs depend on the shapes flowing into their node, so they are chosen
    // one at a time in node order, each with the shapes that the ones before it allow.
    for input in integerInputs {
        result.graph.initializers[input.name] = try structuralConstant(for: input, role: roles[input.name]!, in: result)
        result.graph.inputs.removeAll { $0.name == input.name }
    }
    return result
}

/// Values of an int64 reduction-axes or Reshape-shape input, from the inferred shape of its node's data input.
private func structuralConstant(for input: ValueInfo, role: WeightRole, in model: Model) throws -> TensorData {
    let cannotChoose = GraphError.unsupportedTensor(name: input.name, reason: "cannot choose values for this int64 \(role.rawValue) input; store it as an initializer")
    guard let length = input.shape?.knownExtents, length.count == 1, input.elementType == .int64,
          let consumer = model.graph.nodes.first(where: { $0.inputs.dropFirst().contains(input.name) }),
          let dataName = consumer.input(0) else { throw cannotChoose }
    let shapes = try inferShapes(model)
    guard let dataShape = shapes[dataName]?.shape else { throw cannotChoose }
    let count = length[0]

    switch role {
    case .reductionAxes:
        guard count <= dataShape.count else { throw cannotChoose }
        return TensorData(int64s: (dataShape.count - count..<dataShape.count).map { Int64($0) }, shape: [count])
    default:
        guard count >= 1, count <= dataShape.count, let trailing = Array(dataShape[(count - 1)...]).knownProduct,
              let middle = Array(dataShape[1..<max(1, count - 1)]).knownExtents else { throw cannotChoose }
        let target = count == 1 ? [Int64(-1)] : [-1] + middle.map { Int64($0) } + [Int64(trailing)]
        return TensorData(int64s: target, shape: [count])
    }
}

/// Role of each value that a Conv, Gemm, MatMul or BatchNormalization node reads
/// in a weight position, from the first such node.
func weightRoles(in graph: Graph) -> [String: WeightRole] {
    var roles: [String: WeightRole] = [:]
    func assign(_ name: String?, _ role: WeightRole) {
        guard let name, roles[name] == nil else { return }
        roles[name] = role
    }
    for node in graph.nodes {
        switch node.opType {
        case "Conv":
            assign(node.input(1), .weight)
            assign(node.input(2), .bias)
        case "Gemm":
            assign(node.input(1), node.int("transB", default: 0) == 0 ? .inputMajorWeight : .weight)
            assign(node.input(2), .bias)
        case "MatMul":
            assign(node.input(1), .inputMajorWeight)
        case "ReduceMean", "ReduceSum", "ReduceMax":
            assign(node.input(1), .reductionAxes)
        case "Reshape":
            assign(node.input(1), .reshapeShape)
        case "BatchNormalization":
            assign(node.input(1), .batchNormScale)
            assign(node.input(2), .batchNormBias)
            assign(node.input(3), .runningMean)
            assign(node.input(4), .runningVariance)
        default:
            break
        }
    }
    return roles
}

func sampleWeights(role: WeightRole, shape: [Int], generator: inout SplitMix64) -> [Float] {
    let count = shape.reduce(1, *)
    func normal(_ standardDeviation: Double, mean: Double = 0) -> [Float] {
        (0..<count).map { _ in Float(mean + standardDeviation * generator.nextNormal()) }
    }
    switch role {
    case .weight, .other, .reductionAxes, .reshapeShape:
        guard shape.count >= 2 else { return [Float](repeating: 0, count: count) }
        let fanIn = max(1, shape.dropFirst().reduce(1, *))
        return normal((2 / Double(fanIn)).squareRoot())
    case .inputMajorWeight:
        guard shape.count >= 2 else { return [Float](repeating: 0, count: count) }
        let fanIn = max(1, shape[shape.count - 2])
        return normal((2 / Double(fanIn)).squareRoot())
    case .bias:
        return [Float](repeating: 0, count: count)
    case .batchNormScale:
        return normal(0.02, mean: 1)
    case .batchNormBias:
        return normal(0.02)
    case .runningMean:
        return normal(0.1)
    case .runningVariance:
        return (0..<count).map { _ in Float(generator.nextUniform(0.5, 1.5)) }
    }
}

extension Array where Element == Dim {
    /// The extents when every dimension is known, else nil.
    public var knownExtents: [Int]? {
        var extents: [Int] = []
        extents.reserveCapacity(count)
        for dim in self {
            guard case let .known(extent) = dim else { return nil }
            extents.append(extent)
        }
        return extents
    }
}
