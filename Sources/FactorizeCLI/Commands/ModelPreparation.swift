import Graph

/// The graph cleanup that runs before factorization: BatchNorm folded into the
/// preceding convolutions, Identity and Dropout removed, constants folded, so that each
/// convolution's weight is the one that runs.
func prepareForCompression(_ model: Model) throws -> Model {
    // TODO: call the Graph passes (constant folding, BatchNorm folding, cleanup) once they exist.
    var result = model
    try result.graph.sortTopologically()
    return result
}
