import Decomposition

/// Settings of `compress`: method, ranks, layer selection and decomposition options.
public struct CompressionOptions: Sendable {
    public var method: FactorizationMethod
    public var rankPolicy: RankPolicy
    public var selection: LayerSelection
    /// Rounds every rank up to a multiple of this (for example 8), or nil.
    public var rankMultiple: Int?
    /// Maximum CP-ALS iterations per layer.
    public var cpMaxIterations: Int
    /// CP-ALS stopping tolerance on the relative change of the error.
    public var cpTolerance: Double
    /// Seed for random initialisations and the random inputs of the output check.
    public var seed: UInt64
    /// Factorisations of the input and output sizes of matrix layers for `tt` and `tr`, by
    /// layer name. Layers not listed get balanced factorisations of `matrixOrder` parts.
    public var matrixShapes: [String: (output: [Int], input: [Int])]
    /// Number of factors of TT- and TR-matrix dimensions when chosen automatically.
    /// With three, no TT-SVD unfolding has more than the largest product of an output and
    /// an input factor on its smaller side: 512 for VGG-16's 4096 × 25088 layer, against
    /// 7168 with four. Even ranks near full then stay cheap to compute.
    public var matrixOrder: Int
    /// The accepted values of `matrixOrder`. More factors than a dimension has prime
    /// factors only pad it with 1s.
    public static let matrixOrders = 2...8

    public init(
        method: FactorizationMethod, rankPolicy: RankPolicy, selection: LayerSelection = LayerSelection(),
        rankMultiple: Int? = nil, cpMaxIterations: Int = 50, cpTolerance: Double = 1e-5, seed: UInt64 = 0,
        matrixShapes: [String: (output: [Int], input: [Int])] = [:], matrixOrder: Int = 3
    ) {
        self.method = method
        self.rankPolicy = rankPolicy
        self.selection = selection
        self.rankMultiple = rankMultiple
        self.cpMaxIterations = cpMaxIterations
        self.cpTolerance = cpTolerance
        self.seed = seed
        self.matrixShapes = matrixShapes
        self.matrixOrder = matrixOrder
    }
}
