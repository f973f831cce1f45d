/// Layer filter of `compress`.
///
/// By default every eligible layer except the first convolution (few channels,
/// little to gain, large accuracy cost) and the classifier.
public struct LayerSelection: Sendable {
    /// Regular expression a layer name must match (`--layers`), or nil for all.
    public var includePattern: String?
    /// Regular expression that excludes matching layer names (`--skip`), or nil.
    public var skipPattern: String?
    /// Layers with fewer weight parameters are left unchanged.
    public var minimumParameters: Int
    public var includeFirstConvolution: Bool
    public var includeClassifier: Bool
    /// Factorizes grouped (not depthwise) convolutions group by group (`--per-group`).
    public var perGroup: Bool

    public init(
        includePattern: String? = nil, skipPattern: String? = nil, minimumParameters: Int = 0,
        includeFirstConvolution: Bool = false, includeClassifier: Bool = false, perGroup: Bool = false
    ) {
        self.perGroup = perGroup
        self.includePattern = includePattern
        self.skipPattern = skipPattern
        self.minimumParameters = minimumParameters
        self.includeFirstConvolution = includeFirstConvolution
        self.includeClassifier = includeClassifier
    }

    /// Splits candidates into selected layers and skipped ones with the reason for each.
    /// Throws `emptySelection` when filters were given and nothing eligible matches.
    public func apply(to candidates: [LayerCandidate], method: FactorizationMethod) throws
        -> (selected: [LayerCandidate], skipped: [(layer: String, reason: String)])
    {
        let include = try includePattern.map(compile)
        let skip = try skipPattern.map(compile)
        var selected: [LayerCandidate] = []
        var skipped: [(String, String)] = []

        for candidate in candidates {
            if let include, !matches(include, candidate.name) {
                continue
            }
            if let reason = ineligibility(candidate, method) {
                skipped.append((candidate.name, reason))
            } else if let skip, matches(skip, candidate.name) {
                skipped.append((candidate.name, "excluded by --skip"))
            } else if candidate.isFirstConvolution && !includeFirstConvolution && include == nil {
                skipped.append((candidate.name, "first convolution (use --include-first)"))
            } else if candidate.isClassifier && !includeClassifier && include == nil {
                skipped.append((candidate.name, "classifier (use --include-classifier)"))
            } else if candidate.parameters < minimumParameters {
                skipped.append((candidate.name, "\(candidate.parameters) parameters, below --min-params \(minimumParameters)"))
            } else {
                selected.append(candidate)
            }
        }

        if selected.isEmpty, includePattern != nil || skipPattern != nil || minimumParameters > 0 {
            let eligible = candidates.filter { ineligibility($0, method) == nil }
            throw FactorizationError.emptySelection(filters: filterDescription, eligible: eligible.map(\.name))
        }
        return (selected, skipped)
    }

    /// Returns why the candidate cannot be factorized under these settings, or nil.
    private func ineligibility(_ candidate: LayerCandidate, _ method: FactorizationMethod) -> String? {
        if perGroup && candidate.isGroupedFactorizable { return methodReason(candidate, method) }
        return candidate.ineligibleReason ?? methodReason(candidate, method)
    }

    private func matches(_ regex: Regex<AnyRegexOutput>, _ name: String) -> Bool {
        let match = try? regex.firstMatch(in: name)
        return match != nil
    }

    private var filterDescription: String {
        var parts: [String] = []
        if let includePattern { parts.append("--layers '\(includePattern)'") }
        if let skipPattern { parts.append("--skip '\(skipPattern)'") }
        if minimumParameters > 0 { parts.append("--min-params \(minimumParameters)") }
        return parts.joined(separator: " ")
    }

    private func compile(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        do {
            return try Regex(pattern)
        } catch {
            throw FactorizationError.invalidPattern(pattern: pattern, reason: "\(error)")
        }
    }
}

/// Returns why `method` cannot factorize the candidate, or nil when it can.
func methodReason(_ candidate: LayerCandidate, _ method: FactorizationMethod) -> String? {
    if method == .svd && candidate.kind == .convolution && !candidate.isPointwise {
        return "svd factorizes matrices and 1×1 convolutions only (kernel \(candidate.weightShape[2])×\(candidate.weightShape[3]))"
    }
    return nil
}
