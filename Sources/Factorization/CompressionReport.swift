/// Outcome of `compress` for one layer.
public struct LayerReport: Codable, Sendable {
    public var layer: String
    public var kind: LayerCandidate.Kind
    /// OIHW for convolutions, [O, I] for matrix layers.
    public var weightShape: [Int]
    /// Ranks used: CP [R]; Tucker-2 [R_out, R_in]; TT inner ranks; TR ring ranks from r0; SVD [R].
    public var ranks: [Int]
    /// Rank clamps and other remarks, in words.
    public var notes: [String]
    public var parametersBefore: Int
    public var parametersAfter: Int
    /// Multiply-accumulates per sample at the model's input shape; nil when shapes are unknown.
    public var macsBefore: Int?
    public var macsAfter: Int?
    /// ‖W − Ŵ‖ / ‖W‖.
    public var relativeWeightError: Double
    /// max |y − ŷ| / max |y| of the layer's output on random inputs; nil when not measured.
    public var relativeOutputError: Double?
    /// Median latency of the original and factorized layer in milliseconds when measured.
    public var originalMilliseconds: Double?
    public var factorizedMilliseconds: Double?
    /// False when the original layer was kept (`--keep-if-faster` found it faster).
    public var factorized: Bool
    /// Factors of the output and input sizes of a TT- or TR-matrix; nil for other layers.
    public var matrixFactors: MatrixFactorShapes?
}

/// The factors of a layer's output and input sizes in a TT- or TR-matrix.
public struct MatrixFactorShapes: Codable, Sendable, Equatable {
    public var output: [Int]
    public var input: [Int]

    public init(output: [Int], input: [Int]) {
        self.output = output
        self.input = input
    }
}

/// A layer that was left unchanged, and why.
public struct SkippedLayer: Codable, Sendable {
    public var layer: String
    public var reason: String
}

/// Per-layer results and model totals of one `compress` run.
public struct CompressionReport: Codable, Sendable {
    public var method: FactorizationMethod
    public var rankPolicy: String
    public var layers: [LayerReport]
    public var skipped: [SkippedLayer]
    public var parametersBefore: Int
    public var parametersAfter: Int
    public var macsBefore: Int?
    public var macsAfter: Int?

    /// Parameters before ÷ parameters after.
    public var compressionRatio: Double { Double(parametersBefore) / Double(max(parametersAfter, 1)) }

    /// MACs before ÷ MACs after, when known.
    public var macReduction: Double? {
        guard let before = macsBefore, let after = macsAfter, after > 0 else { return nil }
        return Double(before) / Double(after)
    }
}

extension RankPolicy: CustomStringConvertible {
    public var description: String {
        switch self {
        case .fixed(let rank): return "rank \(rank)"
        case .ratio(let ratio): return "ratio \(ratio)"
        case .energy(let energy): return "energy \(energy)"
        case .vbmf: return "vbmf"
        case .perLayer(let ranks, let fallback): return "per-layer ranks for \(ranks.count) layers, else \(fallback)"
        }
    }
}
