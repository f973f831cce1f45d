/// A requested rank that a decomposition changed to fit the tensor's shape.
///
/// Decompositions do not fail on a rank larger than the shape allows. They clamp
/// it to the largest meaningful value, never below 1, and record the change here
/// so callers can report it.
public struct RankAdjustment: Equatable, Sendable, CustomStringConvertible {
    /// Mode (Tucker, CP initialisation) or bond index (TT, TR: bond `k` joins cores
    /// `k` and `k + 1`) whose rank changed.
    public var position: Int
    /// Rank the caller asked for.
    public var requested: Int
    /// Rank the decomposition used.
    public var applied: Int
    /// Reason for the change, in words.
    public var reason: String

    /// Creates a record of one clamped rank.
    public init(position: Int, requested: Int, applied: Int, reason: String) {
        self.position = position
        self.requested = requested
        self.applied = applied
        self.reason = reason
    }

    public var description: String { "rank at \(position): \(requested) → \(applied) (\(reason))" }
}

/// Clamps `requested` to `1...limit` and appends an adjustment when it changes.
func clampRank(
    _ requested: Int, limit: Int, position: Int, reason: String, into adjustments: inout [RankAdjustment]
) -> Int {
    let applied = min(max(requested, 1), max(limit, 1))
    if applied != requested {
        adjustments.append(RankAdjustment(position: position, requested: requested, applied: applied, reason: reason))
    }
    return applied
}
