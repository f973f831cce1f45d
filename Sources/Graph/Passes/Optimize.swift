/// Runs the graph passes in an order where each one exposes work for the next:
/// Identity/Dropout removal, constant folding, BatchNorm folding, Pad-into-Conv
/// fusion, then dead-code elimination. Idempotent; see each pass for its conditions.
public func optimize(_ model: Model) throws -> Model {
    var result = try removeIdentities(model)
    result = try foldConstants(result)
    result = try foldBatchNormalization(result)
    result = try fusePadIntoConv(result)
    result = try eliminateDeadCode(result)
    return result
}
