/// How `initializeWeights` fills one weight input.
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
    /// Any other input: He-normal over all but the first dimension, zeros for rank below 2.
    case other
}

/// Replaces every graph input except the data input with seeded random weights
/// and moves them to the initializers, producing a runnable model from a
/// structure-only export.
///
/// The data input is the first graph input unless a node reads it as a weight,
/// bias or BatchNorm statistic. Each input's role comes from its first consumer
/// (see `WeightRole`); draws come from one `SplitMix64(seed:)` stream taken in
/// input declaration order, so a seed fixes every value on every platform.
///
/// Throws `GraphError.unknownInputShape` for a weight input without a fully known shape
/// and `GraphError.unsupportedTensor` for one that is not float32.
public func initializeWeights(_ model: Model, seed: UInt64) throws -> Model {
    var result = model
    var generator = SplitMix64(seed: seed)
    let roles = weightRoles(in: model.graph)

    var remaining: [ValueInfo] = []
    for (position, input) in model.graph.inputs.enumerated() {
        let role = roles[input.name]
        let isData = position == 0 && role == nil
        guard !isData else {
            remaining.append(input)
            continue
        }
        guard let shape = input.shape?.knownExtents else { throw GraphError.unknownInputShape(input: input.name) }
        guard input.elementType == .float else {
            throw GraphError.unsupportedTensor(name: input.name, reason: "weights must be float32, the input is \(input.elementType)")
        }
        let values = sampleWeights(role: role ?? .other, shape: shape, generator: &generator)
        result.graph.initializers[input.name] = TensorData(floats: values, shape: shape)
    }
    result.graph.inputs = remaining
    return result
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
    case .weight, .other:
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
