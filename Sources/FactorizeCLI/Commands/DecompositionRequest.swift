import Datasets
import Decomposition
import Foundation
import LinearAlgebra

/// The rank policy and algorithm options of one `decompose` call.
struct DecompositionRequest {
    enum Ranks {
        case fixed([Int])
        case ratio(Double)
        case energy(Double)
        case vbmf
    }

    let method: String
    let ranks: Ranks
    let cpOptions: CPOptions
    let tuckerAlgorithm: TuckerAlgorithm
    let ringSweeps: Int

    init(_ arguments: ParsedArguments, method: String) throws {
        self.method = method
        let given = ["rank", "ratio", "energy"].filter { arguments.string($0) != nil } + (arguments.flag("vbmf") ? ["vbmf"] : [])
        guard given.count <= 1 else {
            throw UsageError(
                "options \(given.map { "--\($0)" }.joined(separator: " and ")) exclude each other; give one rank policy",
                command: "decompose")
        }
        if let ranks = try arguments.intList("rank") {
            guard ranks.allSatisfy({ $0 > 0 }) else {
                throw UsageError("invalid value '\(arguments.string("rank")!)' for --rank: ranks must be positive", command: "decompose")
            }
            self.ranks = .fixed(ranks)
        } else if let ratio = try arguments.double("ratio") {
            guard ratio > 0, ratio <= 1 else {
                throw UsageError("invalid value '\(ratio)' for --ratio: expected a fraction in (0, 1]", command: "decompose")
            }
            self.ranks = .ratio(ratio)
        } else if let energy = try arguments.double("energy") {
            guard energy > 0, energy <= 1 else {
                throw UsageError("invalid value '\(energy)' for --energy: expected a fraction in (0, 1]", command: "decompose")
            }
            self.ranks = .energy(energy)
        } else if arguments.flag("vbmf") {
            guard method == "tucker2" else {
                throw UsageError("--vbmf chooses Tucker-2 ranks; use it with --method tucker2", command: "decompose")
            }
            self.ranks = .vbmf
        } else {
            self.ranks = .ratio(0.5)
        }

        let seed = UInt64(try arguments.int("seed") ?? 0)
        let initialization: CPInitialization
        switch try arguments.choice("init", in: ["svd", "random"]) ?? "svd" {
        case "random": initialization = .random(seed: seed)
        default: initialization = .svd
        }
        let maxIterations = try arguments.int("max-iter")
        if let maxIterations, maxIterations < 0 {
            throw UsageError("invalid value '\(maxIterations)' for --max-iter: expected 0 or more", command: "decompose")
        }
        let tolerance = try arguments.double("tol")
        if let tolerance, tolerance < 0 {
            throw UsageError("invalid value '\(tolerance)' for --tol: expected 0 or more", command: "decompose")
        }
        cpOptions = CPOptions(
            initialization: initialization, maxIterations: maxIterations ?? 100, tolerance: tolerance ?? 1e-8,
            lineSearch: arguments.flag("line-search"), regularization: try arguments.double("l2") ?? 0, seed: seed)
        tuckerAlgorithm =
            arguments.flag("hosvd") ? .hosvd : .hooi(maxIterations: maxIterations ?? 100, tolerance: tolerance ?? 1e-4)
        ringSweeps = method == "tr" ? (maxIterations ?? 0) : 0
    }

    /// Runs the decomposition and times it.
    func run<Scalar: LAPACKScalar>(on tensor: Tensor<Scalar>) throws -> DecompositionOutcome {
        let start = DispatchTime.now()
        var outcome = try decompose(tensor)
        outcome.seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return outcome
    }

    private func decompose<Scalar: LAPACKScalar>(_ x: Tensor<Scalar>) throws -> DecompositionOutcome {
        switch method {
        case "cp":
            let rank: Int
            switch ranks {
            case .fixed(let r): rank = try single(r, what: "CP")
            case .ratio(let f): rank = RankSelection.cpRank(parameterFraction: f, shape: x.shape)
            case .energy(let e): rank = try RankSelection.tuckerRanks(energyThreshold: e, tensor: x, modes: Array(0..<x.rank)).max() ?? 1
            case .vbmf: preconditionFailure("rejected in init")
            }
            let cp = try cpALS(x, rank: rank, options: cpOptions)
            var factors = [("weights", Tensor(shape: [cp.rank], scalars: cp.weights))]
            factors += cp.factors.enumerated().map { ("factor_\($0.offset)", $0.element) }
            var outcome = DecompositionOutcome(
                method: method, shape: x.shape, ranks: [cp.rank], relativeError: cp.relativeError(to: x),
                parameters: cp.parameterCount, iterations: cp.iterations, factors: factors,
                adjustments: cp.rankAdjustments.map(\.description))
            if let degeneracy = cp.degeneracy { outcome.warnings.append("\(degeneracy)") }
            return outcome
        case "tucker", "tucker2":
            let modes = method == "tucker2" ? [0, 1] : Array(0..<x.rank)
            guard x.rank >= modes.count else {
                throw UsageError("tucker2 needs a tensor with at least 2 modes, got shape \(x.shape)", command: "decompose")
            }
            let ranks: [Int]
            switch self.ranks {
            case .fixed(let r): ranks = try expand(r, count: modes.count, what: method)
            case .ratio(let f): ranks = RankSelection.tuckerRanks(parameterFraction: f, shape: x.shape, modes: modes)
            case .energy(let e): ranks = try RankSelection.tuckerRanks(energyThreshold: e, tensor: x, modes: modes)
            case .vbmf: ranks = try RankSelection.evbmfTuckerRanks(kernel: x)
            }
            let tucker = try partialTucker(x, modes: modes, ranks: ranks, algorithm: tuckerAlgorithm)
            let factors = [("core", tucker.core)] + tucker.factors.enumerated().map { ("factor_\(modes[$0.offset])", $0.element) }
            return DecompositionOutcome(
                method: method, shape: x.shape, ranks: tucker.ranks, relativeError: tucker.relativeError(to: x),
                parameters: tucker.parameterCount, iterations: max(tucker.errorHistory.count - 1, 0), factors: factors,
                adjustments: tucker.rankAdjustments.map(\.description))
        case "tt":
            var maxRanks: [Int]?
            var target: Double?
            switch ranks {
            case .fixed(let r): maxRanks = try expand(r, count: max(x.rank - 1, 1), what: "tt")
            case .ratio(let f): maxRanks = Array(repeating: RankSelection.ttMaxRank(parameterFraction: f, shape: x.shape), count: max(x.rank - 1, 0))
            case .energy(let e): target = max((1 - e).squareRoot(), 1e-7)
            case .vbmf: preconditionFailure("rejected in init")
            }
            let tt = try tensorTrain(x, maxRanks: maxRanks, relativeError: target)
            return DecompositionOutcome(
                method: method, shape: x.shape, ranks: Array(tt.ranks.dropFirst().dropLast()),
                relativeError: tt.relativeError(to: x), parameters: tt.parameterCount, iterations: 1,
                factors: tt.cores.enumerated().map { ("core_\($0.offset)", $0.element) },
                adjustments: tt.rankAdjustments.map(\.description))
        default:
            var ringRanks: [Int]?
            var target: Double?
            switch ranks {
            case .fixed(let r): ringRanks = try expand(r, count: x.rank, what: "tr")
            case .ratio(let f): ringRanks = Array(repeating: RankSelection.trRank(parameterFraction: f, shape: x.shape), count: x.rank)
            case .energy(let e): target = max((1 - e).squareRoot(), 1e-7)
            case .vbmf: preconditionFailure("rejected in init")
            }
            let tr = try tensorRing(x, ranks: ringRanks, relativeError: target, alsIterations: ringSweeps)
            return DecompositionOutcome(
                method: method, shape: x.shape, ranks: tr.ranks, relativeError: tr.relativeError(to: x),
                parameters: tr.parameterCount, iterations: max(tr.errorHistory.count - 1, 0),
                factors: tr.cores.enumerated().map { ("core_\($0.offset)", $0.element) },
                adjustments: tr.rankAdjustments.map(\.description))
        }
    }

    private func single(_ ranks: [Int], what: String) throws -> Int {
        guard ranks.count == 1 else {
            throw UsageError("\(what) takes one rank, got \(ranks.count) (\(ranks))", command: "decompose")
        }
        return ranks[0]
    }

    private func expand(_ ranks: [Int], count: Int, what: String) throws -> [Int] {
        if ranks.count == count { return ranks }
        if ranks.count == 1 { return Array(repeating: ranks[0], count: count) }
        throw UsageError("\(what) takes \(count) ranks for this tensor (or one for all), got \(ranks.count) (\(ranks))", command: "decompose")
    }
}
