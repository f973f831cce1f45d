import Graph

/// Returns the model as `compress` factorizes it: nodes in topological order, with
/// BatchNorm folded into preceding convolutions, Identity and Dropout removed and
/// constants folded, so that each convolution's weight is the one that runs.
public func preparedForCompression(_ model: Model) throws -> Model {
    var result = try optimize(model)
    try result.graph.sortTopologically()
    return result
}
