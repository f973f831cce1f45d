import Decomposition
import LinearAlgebra
import Testing

@Suite struct RankClampTests {
    @Test func cpSVDInitAcceptsRankAboveMode() throws {
        let x = Synthetic.normal([3, 4, 5], seed: 1)
        let result = try cpALS(x, rank: 6, options: CPOptions(maxIterations: 20))
        #expect(result.rank == 6)
        #expect(result.factors.map(\.shape) == [[3, 6], [4, 6], [5, 6]])
        #expect(!hasNonFinite(result.reconstruct()))
    }

    @Test func cpRankAboveGenericMaximumIsClamped() throws {
        let x = Synthetic.normal([2, 2, 3], seed: 2)
        let result = try cpALS(x, rank: 50, options: CPOptions(maxIterations: 5))
        #expect(result.rank == 4)
        #expect(result.rankAdjustments.map(\.requested) == [50])
        #expect(result.rankAdjustments.map(\.applied) == [4])
    }

    @Test func tuckerRankAboveModeIsClampedAndReported() throws {
        let x = Synthetic.normal([3, 4, 5], seed: 3)
        let result = try tucker(x, ranks: [5, 5, 5], algorithm: .hosvd)
        #expect(result.ranks == [3, 4, 5])
        #expect(result.rankAdjustments.map(\.position) == [0, 1])
        #expect(result.rankAdjustments.map(\.applied) == [3, 4])
        #expect(result.relativeError(to: x) < 1e-12)
    }

    @Test func ttRankAboveBoundIsClampedAndReported() throws {
        let x = Synthetic.normal([3, 4, 5], seed: 4)
        let result = try tensorTrain(x, maxRanks: [10, 10])
        #expect(result.ranks == [1, 3, 5, 1])
        #expect(result.rankAdjustments.map(\.applied) == [3, 5])
        #expect(result.relativeError(to: x) < 1e-12)
    }

    @Test func trRankProductAboveBoundIsClamped() throws {
        let x = Synthetic.normal([4, 5, 6], seed: 5)
        let result = try tensorRing(x, ranks: [3, 3, 3])
        #expect(result.ranks[0] * result.ranks[1] <= 4)
        #expect(!result.rankAdjustments.isEmpty)
    }

    @Test func rankBetweenSmallestAndLargestMode() throws {
        let x = Synthetic.normal([2, 10, 6], seed: 6)
        let cp = try cpALS(x, rank: 5, options: CPOptions(maxIterations: 30))
        #expect(cp.rank == 5)
        #expect(cp.rankAdjustments.isEmpty)
        let tk = try tucker(x, ranks: [5, 5, 5], algorithm: .hooi())
        #expect(tk.ranks == [2, 5, 5])
        let tt = try tensorTrain(x, maxRanks: [5, 5])
        #expect(tt.ranks == [1, 2, 5, 1])
        for error in [cp.relativeError(to: x), tk.relativeError(to: x), tt.relativeError(to: x)] {
            #expect(error.isFinite)
            #expect(error < 1)
        }
    }

    @Test func invalidOptionsAreRejected() {
        let x = Synthetic.normal([3, 3], seed: 8)
        #expect(throws: DecompositionError.invalidOption(
            operation: "cpALS", name: "maxIterations", value: 0, reason: "must be at least 1.0")) {
            try cpALS(x, rank: 1, options: CPOptions(maxIterations: 0))
        }
        #expect(throws: DecompositionError.self) { try cpALS(x, rank: 1, options: CPOptions(regularization: -1)) }
        #expect(throws: DecompositionError.self) { try tensorTrain(x, relativeError: 0) }
    }

    @Test func negativeRankIsRejected() {
        let x = Synthetic.normal([3, 3], seed: 7)
        #expect(throws: DecompositionError.self) { try cpALS(x, rank: 0) }
        #expect(throws: DecompositionError.self) { try tensorTrain(x, maxRanks: [1, 2]) }
    }
}

@Suite struct DegenerateInputTests {
    @Test func zeroTensorGivesZeroFactors() throws {
        let x = Tensor<Float>(zeros: [4, 3, 2])
        let cp = try cpALS(x, rank: 2)
        #expect(cp.weights.allSatisfy { $0 == 0 })
        #expect(cp.reconstruct().scalars.allSatisfy { $0 == 0 })
        let tk = try tucker(x, ranks: [2, 2, 2])
        #expect(!hasNonFinite(tk.reconstruct()))
        #expect(tk.core.scalars.allSatisfy { $0 == 0 })
        let tt = try tensorTrain(x, maxRanks: [2, 2])
        #expect(!hasNonFinite(tt.reconstruct()))
        #expect(tt.reconstruct().scalars.allSatisfy { $0 == 0 })
        let tr = try tensorRing(x, ranks: [1, 2, 2], alsIterations: 2)
        #expect(!hasNonFinite(tr.reconstruct()))
        #expect(tr.reconstruct().scalars.allSatisfy { $0 == 0 })
    }

    @Test func nonFiniteInputThrowsTypedError() {
        for bad in [Float.infinity, -.infinity] {
            var x = Tensor<Float>(repeating: 1, shape: [3, 3, 2])
            x[1, 2, 0] = bad
            let offset = 1 * 6 + 2 * 2
            #expect(throws: DecompositionError.nonFiniteInput(operation: "cpALS", offset: offset, value: Double(bad))) {
                try cpALS(x, rank: 2)
            }
            #expect(throws: DecompositionError.self) { try tucker(x, ranks: [2, 2, 2]) }
            #expect(throws: DecompositionError.self) { try tensorTrain(x, maxRanks: [2, 2]) }
            #expect(throws: DecompositionError.self) { try tensorRing(x, ranks: [1, 2, 2]) }
        }
    }

    @Test func nanErrorNamesOffsetForEveryMethod() {
        var x = Tensor<Double>(repeating: 1, shape: [2, 2])
        x[1, 1] = .nan
        let calls: [(String, () throws -> Void)] = [
            ("cpALS", { _ = try cpALS(x, rank: 1) }),
            ("tucker", { _ = try tucker(x, ranks: [1, 1]) }),
            ("tensorTrain", { _ = try tensorTrain(x, maxRanks: [1]) }),
            ("tensorRing", { _ = try tensorRing(x, ranks: [1, 1]) }),
        ]
        for (name, call) in calls {
            do {
                try call()
                Issue.record("\(name) accepted NaN")
            } catch let error as DecompositionError {
                guard case let .nonFiniteInput(operation, offset, value) = error else {
                    Issue.record("\(name): unexpected \(error)")
                    continue
                }
                #expect(operation == name)
                #expect(offset == 3)
                #expect(value.isNaN)
            } catch {
                Issue.record("\(name): untyped \(error)")
            }
        }
    }

    @Test func rankOneTensorIsRecoveredByEveryMethod() throws {
        let x = Synthetic.cp([5, 4, 3], rank: 1, seed: 8)
        #expect(try cpALS(x, rank: 1).relativeError(to: x) < 1e-10)
        #expect(try tucker(x, ranks: [1, 1, 1]).relativeError(to: x) < 1e-10)
        #expect(try tensorTrain(x, maxRank: 1).relativeError(to: x) < 1e-10)
        #expect(try tensorRing(x, ranks: [1, 1, 1]).relativeError(to: x) < 1e-10)
    }

    @Test func modesOfSizeOneAreSupported() throws {
        let x = Synthetic.normal([8, 6, 1, 1], seed: 9)  // a 1×1 convolution kernel
        let cp = try cpALS(x, rank: 3, options: CPOptions(maxIterations: 30))
        #expect(!hasNonFinite(cp.reconstruct()))
        let tk = try partialTucker(x, modes: [0, 1], ranks: [6, 6])
        #expect(tk.relativeError(to: x) < 1e-12)
        let tt = try tensorTrain(x, maxRanks: [6, 6, 6])
        #expect(tt.relativeError(to: x) < 1e-12)
        let tr = try tensorRing(x, ranks: [1, 6, 6, 6])
        #expect(tr.relativeError(to: x) < 1e-12)
    }
}

@Suite struct ConvergenceTests {
    @Test func randomInitIsDeterministicForSeed() throws {
        let x = Synthetic.normal([5, 6, 7], seed: 10)
        let options = CPOptions(initialization: .random(seed: 42), maxIterations: 10, tolerance: 0)
        let first = try cpALS(x, rank: 3, options: options)
        let second = try cpALS(x, rank: 3, options: options)
        #expect(first.factors == second.factors)
        #expect(first.weights == second.weights)
        let other = try cpALS(x, rank: 3, options: CPOptions(initialization: .random(seed: 43), maxIterations: 10, tolerance: 0))
        #expect(other.factors != first.factors)
    }

    @Test func alsErrorNeverIncreases() throws {
        let x = Synthetic.decaying([8, 9, 10], seed: 11)
        for initialization in [CPInitialization.svd, .random(seed: 3)] {
            let result = try cpALS(x, rank: 4, options: CPOptions(initialization: initialization, maxIterations: 60, tolerance: 0))
            for (before, after) in zip(result.errorHistory, result.errorHistory.dropFirst()) {
                #expect(after <= before + 1e-12)
            }
        }
    }

    @Test func lineSearchErrorNeverIncreases() throws {
        let x = Synthetic.decaying([8, 9, 10], seed: 12)
        let result = try cpALS(x, rank: 4, options: CPOptions(maxIterations: 60, tolerance: 0, lineSearch: true))
        for (before, after) in zip(result.errorHistory, result.errorHistory.dropFirst()) {
            #expect(after <= before + 1e-12)
        }
    }

    @Test func tuckerErrorNeverIncreasesWithRank() throws {
        let x = Synthetic.decaying([8, 9, 10], seed: 13)
        var previous = Double.infinity
        for r in 1...8 {
            let error = try tucker(x, ranks: [r, r, r], algorithm: .hooi()).relativeError(to: x)
            #expect(error <= previous + 1e-12)
            previous = error
        }
    }

    @Test func ttErrorNeverIncreasesWithRank() throws {
        let x = Synthetic.decaying([6, 7, 8, 5], seed: 14)
        var previous = Double.infinity
        for r in 1...12 {
            let error = try tensorTrain(x, maxRank: r).relativeError(to: x)
            #expect(error <= previous + 1e-12)
            previous = error
        }
    }

    @Test func trSVDErrorNeverIncreasesWithRank() throws {
        let x = Synthetic.decaying([9, 7, 8, 5], seed: 15)
        var previous = Double.infinity
        for r in 1...3 {
            let error = try tensorRing(x, ranks: [r, r, r, r]).relativeError(to: x)
            #expect(error <= previous + 1e-12)
            previous = error
        }
    }

    @Test func trALSDoesNotIncreaseError() throws {
        let x = Synthetic.decaying([6, 7, 8], seed: 16)
        let result = try tensorRing(x, ranks: [2, 2, 3], alsIterations: 10, tolerance: 0)
        for (before, after) in zip(result.errorHistory, result.errorHistory.dropFirst()) {
            #expect(after <= before + 1e-10)
        }
    }

    @Test func float32ErrorHistoryMatchesResidual() throws {
        // Near-exact fit, where ‖X‖² + ‖X̂‖² − 2⟨X, X̂⟩ in Float would lose all digits.
        let exact = Synthetic.cp([10, 11, 12], rank: 3, seed: 17)
        let noise = Synthetic.normal([10, 11, 12], seed: 18)
        var x = exact
        let scale = 1e-4 * exact.frobeniusNorm / noise.frobeniusNorm
        for i in 0..<x.count { x.scalars[i] += scale * noise.scalars[i] }
        let single = x.converted(to: Float.self)
        let result = try cpALS(single, rank: 3, options: CPOptions(maxIterations: 200, tolerance: 0))
        let direct = result.relativeError(to: single)
        #expect(direct < 2e-4)
        #expect(abs(result.errorHistory.last! - direct) < 1e-5)
    }
}

@Suite struct DegeneracyTests {
    /// a∘a∘b + a∘b∘a + b∘a∘a has rank 3 but border rank 2: rank-2 ALS diverges.
    static func borderRankTensor() -> Tensor<Double> {
        let a = [1.0, 0], b = [0.0, 1]
        var x = Tensor<Double>(zeros: [2, 2, 2])
        for i in 0..<2 { for j in 0..<2 { for k in 0..<2 {
            x[i, j, k] = a[i] * a[j] * b[k] + a[i] * b[j] * a[k] + b[i] * a[j] * a[k]
        } } }
        return x
    }

    @Test func divergingComponentsAreReported() throws {
        let x = Self.borderRankTensor()
        let result = try cpALS(x, rank: 2, options: CPOptions(initialization: .random(seed: 1), maxIterations: 500, tolerance: 0))
        let degeneracy = try #require(result.degeneracy)
        #expect(degeneracy.congruence < -0.8)
        #expect(degeneracy.weightRatio > 1.5)
    }

    @Test func regularisationRemovesDegeneracy() throws {
        let x = Self.borderRankTensor()
        let result = try cpALS(
            x, rank: 2,
            options: CPOptions(initialization: .random(seed: 1), maxIterations: 500, tolerance: 0, regularization: 0.05))
        #expect(result.degeneracy == nil)
        #expect(result.weights.allSatisfy { Double(abs($0)) < 2 * x.frobeniusNorm })
    }
}
