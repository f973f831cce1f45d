/// Errors of layer selection and factorization; each names the layer or value at fault.
public enum FactorizationError: Error, CustomStringConvertible, Equatable {
    /// The layer cannot be factorized, and why.
    case unsupportedLayer(node: String, reason: String)
    /// A rank or ratio outside its valid range.
    case invalidRankPolicy(String)
    /// The selection matched no eligible layer; lists the eligible ones.
    case emptySelection(filters: String, eligible: [String])
    /// A `--layers` or `--skip` pattern that is not a valid regular expression.
    case invalidPattern(pattern: String, reason: String)
    /// A per-layer ranks file names a layer that is not in the model or is malformed.
    case invalidRanksFile(path: String, reason: String)
    /// The decomposition failed on a layer.
    case decompositionFailed(node: String, reason: String)
    /// The TT- or TR-matrix factorisation given for a layer does not fit it.
    case invalidMatrixShapes(layer: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let node, let reason):
            return "layer '\(node)' cannot be factorized: \(reason)"
        case .invalidRankPolicy(let message):
            return message
        case .emptySelection(let filters, let eligible):
            let list = eligible.isEmpty ? "(none)" : eligible.joined(separator: ", ")
            return "the layer selection \(filters) matches no eligible layer; eligible layers: \(list)"
        case .invalidPattern(let pattern, let reason):
            return "invalid regular expression '\(pattern)': \(reason)"
        case .invalidRanksFile(let path, let reason):
            return "invalid ranks file \(path): \(reason)"
        case .decompositionFailed(let node, let reason):
            return "decomposition of layer '\(node)' failed: \(reason)"
        case .invalidMatrixShapes(let layer, let reason):
            return "matrix shapes of layer '\(layer)': \(reason)"
        }
    }
}
