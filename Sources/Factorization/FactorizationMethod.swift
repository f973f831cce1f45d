/// Factorization applied to a layer's weight.
public enum FactorizationMethod: String, CaseIterable, Sendable, Codable {
    /// CP (canonical polyadic) with separate vertical and horizontal depthwise convolutions.
    case cp
    /// CP with one depthwise k_h×k_w convolution for the spatial factor.
    case cp3
    /// Tucker-2 over the output- and input-channel modes.
    case tucker2
    /// Tensor Train of the kernel permuted to (I, k_h, k_w, O); TT-matrix for matrices.
    case tt
    /// Tensor Ring of the kernel permuted to (I, k_h, k_w, O); TR-matrix for matrices.
    case tr
    /// Truncated SVD: two layers I→R→O. Matrices and 1×1 convolutions only.
    case svd
}

/// Rule that chooses the ranks of each layer.
public enum RankPolicy: Equatable, Sendable {
    /// The same rank for every layer (and every inner rank of TT and TR); clamped per layer.
    case fixed(Int)
    /// Fraction of each layer's weight parameters kept, in (0, 1].
    case ratio(Double)
    /// Fraction of spectral energy kept on each unfolding, in (0, 1].
    case energy(Double)
    /// Empirical variational Bayesian matrix factorization ranks (Tucker-2 only).
    case vbmf
    /// Ranks per layer name; layers missing from the map use `fallback`.
    indirect case perLayer([String: [Int]], fallback: RankPolicy)

    /// Checks the policy's numbers; throws `invalidRankPolicy` naming the bad value.
    public func validate() throws {
        switch self {
        case .fixed(let rank):
            guard rank > 0 else {
                throw FactorizationError.invalidRankPolicy("invalid rank \(rank): a rank must be a positive integer")
            }
        case .ratio(let ratio):
            guard ratio > 0, ratio <= 1 else {
                throw FactorizationError.invalidRankPolicy(
                    "invalid ratio \(ratio): the fraction of parameters kept must be in (0, 1]")
            }
        case .energy(let energy):
            guard energy > 0, energy <= 1 else {
                throw FactorizationError.invalidRankPolicy(
                    "invalid energy \(energy): the fraction of spectral energy kept must be in (0, 1]")
            }
        case .vbmf:
            break
        case .perLayer(let ranks, let fallback):
            for (layer, values) in ranks where values.isEmpty || values.contains(where: { $0 <= 0 }) {
                throw FactorizationError.invalidRankPolicy(
                    "invalid ranks \(values) for layer '\(layer)': ranks must be positive integers")
            }
            try fallback.validate()
        }
    }
}
