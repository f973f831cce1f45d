import Graph

/// Multiply-accumulates of the Conv, Gemm and MatMul nodes of a model at the given
/// input shapes (declared shapes otherwise): for a Conv, output elements × (I/group)·kh·kw;
/// for Gemm and MatMul, output elements × the contracted extent.
/// - Throws: `GraphError` when shapes cannot be inferred.
public func multiplyAccumulates(_ model: Model, inputShapes: [String: [Int]] = [:]) throws -> Int {
    let shapes = try inferShapes(model, inputShapes: inputShapes)
    var total = 0
    for node in model.graph.nodes {
        guard let output = node.outputs.first, let outputElements = knownCount(shapes[output]?.shape) else { continue }
        switch node.opType {
        case "Conv":
            guard let weight = node.input(1).flatMap({ shapes[$0]?.shape }), let extents = knownExtents(weight),
                extents.count >= 3
            else { continue }
            total += outputElements * extents.dropFirst().reduce(1, *)
        case "Gemm":
            guard let a = node.input(0).flatMap({ shapes[$0]?.shape }), let extents = knownExtents(a), extents.count == 2
            else { continue }
            total += outputElements * (node.int("transA", default: 0) != 0 ? extents[0] : extents[1])
        case "MatMul":
            guard let a = node.input(0).flatMap({ shapes[$0]?.shape }), let extents = knownExtents(a), let k = extents.last
            else { continue }
            total += outputElements * k
        default:
            continue
        }
    }
    return total
}

func knownExtents(_ dims: [Dim]?) -> [Int]? {
    guard let dims else { return nil }
    var result: [Int] = []
    for dim in dims {
        guard case .known(let value) = dim else { return nil }
        result.append(value)
    }
    return result
}

private func knownCount(_ dims: [Dim]?) -> Int? {
    knownExtents(dims).map { $0.reduce(1, *) }
}
