/// Rule by which a decomposition chooses the ranks of each layer, written in specs and
/// results as `ratio:0.5`, `energy:0.9`, `fixed:16` or `evbmf`.
public enum RankPolicy: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Keep this fraction of each layer's parameters, in (0, 1].
    case ratio(Double)
    /// Keep the smallest ranks whose singular values retain this fraction of the unfolding's
    /// energy (sum of squared singular values), in (0, 1].
    case energy(Double)
    /// Use this rank for every decomposed mode.
    case fixed(Int)
    /// Estimate ranks by empirical variational Bayesian matrix factorization
    /// (Nakajima, Sugiyama, Babacan and Tomioka, 2013).
    case evbmf

    /// Parses the spec form. Throws `StudySpecError.invalidValue` naming `key`.
    public init(parsing text: String, key: String = "rank_policies") throws(StudySpecError) {
        let quoted = "\"\(text)\""
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let expected = "expected ratio:<fraction>, energy:<fraction>, fixed:<rank> or evbmf"

        switch (parts.first, parts.count) {
        case ("evbmf", 1):
            self = .evbmf
        case ("ratio", 2), ("energy", 2):
            guard let fraction = Double(parts[1]), fraction > 0, fraction <= 1 else {
                throw .invalidValue(key: key, value: quoted, reason: "the \(parts[0]) must be a number in (0, 1]")
            }
            self = parts[0] == "ratio" ? .ratio(fraction) : .energy(fraction)
        case ("fixed", 2):
            guard let rank = Int(parts[1]), rank >= 1 else {
                throw .invalidValue(key: key, value: quoted, reason: "the fixed rank must be an integer of at least 1")
            }
            self = .fixed(rank)
        default:
            throw .invalidValue(key: key, value: quoted, reason: expected)
        }
    }

    /// The spec form, such as `ratio:0.5`.
    public var description: String {
        switch self {
        case .ratio(let fraction): return "ratio:\(formatNumber(fraction))"
        case .energy(let fraction): return "energy:\(formatNumber(fraction))"
        case .fixed(let rank): return "fixed:\(rank)"
        case .evbmf: return "evbmf"
        }
    }

    /// The form used inside run keys and file names, such as `ratio0.5`.
    public var slug: String {
        description.replacingOccurrences(of: ":", with: "")
    }
}
