/// Checks the TT- and TR-matrix factorisations given per layer against the selected layers,
/// before any decomposition runs, so a mistake costs no time.
///
/// - Throws: `FactorizationError.invalidMatrixShapes` naming the layer when it is not a
///   selected Gemm or MatMul, and the message then lists those that are. The same error when
///   its lists differ in length, have fewer than 2 factors, or multiply to other sizes than
///   the layer's. `.invalidRankPolicy` for a matrix order outside `matrixOrders`.
func validateMatrixShapes(_ options: CompressionOptions, candidates: [LayerCandidate], selected: [LayerCandidate]) throws {
    let orders = CompressionOptions.matrixOrders
    guard orders.contains(options.matrixOrder) else {
        throw FactorizationError.invalidRankPolicy(
            "invalid matrix order \(options.matrixOrder): expected \(orders.lowerBound) to \(orders.upperBound)")
    }
    let matrixLayers = selected.filter { $0.kind != .convolution }
    for (layer, shapes) in options.matrixShapes.sorted(by: { $0.key < $1.key }) {
        guard let candidate = matrixLayers.first(where: { $0.name == layer }) else {
            let list = matrixLayers.isEmpty ? "(none)" : matrixLayers.map(\.name).joined(separator: ", ")
            let problem = candidates.contains { $0.name == layer }
                ? "is not a selected Gemm or MatMul layer (the classifier needs --include-classifier)"
                : "is not a layer of this model"
            throw FactorizationError.invalidMatrixShapes(layer: layer, reason: "\(problem); selected matrix layers: \(list)")
        }
        try checkFactors(shapes, of: candidate)
    }
}

private func checkFactors(_ shapes: (output: [Int], input: [Int]), of candidate: LayerCandidate) throws {
    let (rows, columns) = candidate.matrixShape
    func fail(_ reason: String) -> FactorizationError { .invalidMatrixShapes(layer: candidate.name, reason: reason) }
    guard shapes.output.count == shapes.input.count else {
        throw fail(
            "output \(shapes.output) has \(shapes.output.count) factors and input \(shapes.input) has "
                + "\(shapes.input.count); give both the same number")
    }
    let orders = CompressionOptions.matrixOrders
    guard orders.contains(shapes.output.count) else {
        let count = shapes.output.count
        throw fail(
            "\(count) factor\(count == 1 ? "" : "s") per dimension; give \(orders.lowerBound) to \(orders.upperBound)")
    }
    if let bad = (shapes.output + shapes.input).first(where: { $0 < 1 }) {
        throw fail("factor \(bad) is not a positive integer")
    }
    let (outputProduct, inputProduct) = (shapes.output.reduce(1, *), shapes.input.reduce(1, *))
    guard outputProduct == rows, inputProduct == columns else {
        throw fail(
            "output \(shapes.output) multiplies to \(outputProduct) and input \(shapes.input) to \(inputProduct), "
                + "but the layer has \(rows) outputs and \(columns) inputs")
    }
}
