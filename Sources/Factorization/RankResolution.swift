import Decomposition
import LinearAlgebra

/// Rounds each rank up to a multiple of `multiple` (tensor-core friendly shapes);
/// the decompositions clamp the result to what the shape allows.
func roundUp(_ ranks: [Int], toMultipleOf multiple: Int?) -> [Int] {
    guard let multiple, multiple > 1 else { return ranks }
    return ranks.map { ($0 + multiple - 1) / multiple * multiple }
}

/// Converts the energy kept to a relative error target ε = √(1 − energy), floored
/// so that energy 1 requests an exact decomposition.
func relativeErrorTarget(energy: Double) -> Double {
    max((1 - energy).squareRoot(), 1e-7)
}

extension RankPolicy {
    /// Ranks given explicitly for `layer` by a per-layer map, or nil.
    func explicitRanks(for layer: String) -> [Int]? {
        if case .perLayer(let map, _) = self { return map[layer] }
        return nil
    }

    /// Returns the policy that applies to `layer` once per-layer entries are resolved.
    func effective(for layer: String) -> RankPolicy {
        if case .perLayer(let map, let fallback) = self {
            if let ranks = map[layer] { return .fixed(ranks[0]) }
            return fallback.effective(for: layer)
        }
        return self
    }
}

/// Requested ranks per bond for a tensor of `count` ranks: an explicit list must
/// have `count` entries, a single integer is repeated.
func expandRanks(_ ranks: [Int], count: Int, layer: String, what: String) throws -> [Int] {
    if ranks.count == count { return ranks }
    if ranks.count == 1 { return Array(repeating: ranks[0], count: count) }
    throw FactorizationError.invalidRankPolicy(
        "layer '\(layer)': \(what) takes \(count) ranks or one, got \(ranks.count) (\(ranks))")
}

/// Returns the bond ranks, or the relative error target, of a tensor train or ring over
/// `shape` under `policy`. Explicit per-layer ranks win over the policy; a parameter
/// fraction becomes the largest uniform rank that fits it.
func chainRankLimits(
    policy: RankPolicy, explicit: [Int]?, ring: Bool, shape: [Int], bondCount: Int, layer: String, what: String,
    rankMultiple: Int?
) throws -> (ranks: [Int]?, errorTarget: Double?) {
    var ranks: [Int]?
    var errorTarget: Double?
    switch policy {
    case .fixed(let r): ranks = Array(repeating: r, count: bondCount)
    case .ratio(let f):
        let r = ring
            ? RankSelection.trRank(parameterFraction: f, shape: shape)
            : RankSelection.ttMaxRank(parameterFraction: f, shape: shape)
        ranks = Array(repeating: r, count: bondCount)
    case .energy(let e): errorTarget = relativeErrorTarget(energy: e)
    case .vbmf: throw vbmfOnlyForTucker(layer)
    case .perLayer: preconditionFailure("per-layer policies are resolved by effective(for:)")
    }
    if let explicit {
        ranks = try expandRanks(explicit, count: bondCount, layer: layer, what: what)
        errorTarget = nil
    }
    return (ranks.map { roundUp($0, toMultipleOf: rankMultiple) }, errorTarget)
}
