import Decomposition
import LinearAlgebra
import Testing

@Suite struct RankSelectionTests {
    let kernel = [64, 32, 3, 3]

    @Test func cpRankMeetsParameterFraction() throws {
        let rank = RankSelection.cpRank(parameterFraction: 0.2, shape: kernel)
        let total = kernel.reduce(1, *)
        #expect(rank * kernel.reduce(0, +) <= total / 5)
        #expect((rank + 1) * kernel.reduce(0, +) > total / 5)
    }

    @Test func tuckerRanksMeetParameterFraction() throws {
        let ranks = RankSelection.tuckerRanks(parameterFraction: 0.25, shape: kernel, modes: [0, 1])
        let x = Synthetic.normal(kernel, seed: 1)
        let result = try partialTucker(x, modes: [0, 1], ranks: ranks, algorithm: .hosvd)
        #expect(result.parameterCount <= kernel.reduce(1, *) / 4)
        #expect(result.parameterCount > kernel.reduce(1, *) / 8)
    }

    @Test func ttRankMeetsParameterFraction() throws {
        let rank = RankSelection.ttMaxRank(parameterFraction: 0.3, shape: kernel)
        let x = Synthetic.normal(kernel, seed: 2)
        let below = try tensorTrain(x, maxRank: rank)
        let above = try tensorTrain(x, maxRank: rank + 1)
        #expect(Double(below.parameterCount) <= 0.3 * Double(x.count))
        #expect(Double(above.parameterCount) > 0.3 * Double(x.count))
    }

    @Test func trRankMeetsParameterFraction() throws {
        let shape = [16, 32, 3, 3]
        let rank = RankSelection.trRank(parameterFraction: 0.3, shape: shape)
        let x = Synthetic.normal(shape, seed: 3)
        let result = try tensorRing(x, ranks: Array(repeating: rank, count: 4))
        #expect(Double(result.parameterCount) <= 0.3 * Double(x.count))
        let larger = try tensorRing(x, ranks: Array(repeating: rank + 1, count: 4))
        #expect(larger.parameterCount > result.parameterCount)
    }

    @Test func ttMatrixRankMeetsParameterFraction() throws {
        let rank = RankSelection.ttMatrixMaxRank(parameterFraction: 0.1, outputShape: [4, 4, 4], inputShape: [8, 4, 4])
        let x = Synthetic.normal([64, 128], seed: 4)
        let result = try ttMatrix(x, outputShape: [4, 4, 4], inputShape: [8, 4, 4], maxRanks: [rank, rank])
        #expect(Double(result.parameterCount) <= 0.1 * Double(x.count))
    }

    @Test func energyRankKeepsThreshold() {
        let spectrum: [Double] = [3, 2, 1, 0.5]  // energies 9, 4, 1, 0.25 of 14.25
        #expect(RankSelection.energyRank(spectrum: spectrum, threshold: 0.6) == 1)
        #expect(RankSelection.energyRank(spectrum: spectrum, threshold: 0.9) == 2)
        #expect(RankSelection.energyRank(spectrum: spectrum, threshold: 1) == 4)
        #expect(RankSelection.energyRank(spectrum: [0.0, 0], threshold: 0.9) == 1)
    }

    @Test func tuckerEnergyRanksFindTrueRanks() throws {
        let x = Synthetic.tucker([10, 9, 8], ranks: [3, 4, 2], seed: 5)
        #expect(try RankSelection.tuckerRanks(energyThreshold: 0.999999, tensor: x, modes: [0, 1, 2]) == [3, 4, 2])
    }

    @Test func evbmfFindsSignalRankUnderNoise() {
        // Rank-8 signal with singular values well above the noise edge √M·σ(1 + √α).
        let signal = matmul(Synthetic.normal([100, 8], seed: 6), Synthetic.normal([8, 300], seed: 7))
        var x = signal
        let noise = Synthetic.normal([100, 300], seed: 8)
        for i in 0..<x.count { x.scalars[i] += 0.5 * noise.scalars[i] }
        let spectrum = try! svd(x).spectrum
        let estimate = EVBMF.estimate(singularValues: spectrum, rows: 100, columns: 300)
        #expect(estimate.rank == 8)
        #expect(abs(estimate.noiseVariance - 0.25) < 0.03)
    }

    @Test func evbmfFindsNothingInPureNoise() {
        let x = Synthetic.normal([80, 200], seed: 9)
        let estimate = EVBMF.estimate(singularValues: try! svd(x).spectrum, rows: 80, columns: 200)
        #expect(estimate.rank == 0)
    }

    @Test func evbmfTuckerRanksOfLowRankKernel() throws {
        var kernel = Synthetic.tucker([48, 40, 3, 3], ranks: [6, 5, 3, 3], seed: 10)
        let noise = Synthetic.normal([48, 40, 3, 3], seed: 11)
        let scale = 0.01 * kernel.frobeniusNorm / noise.frobeniusNorm
        for i in 0..<kernel.count { kernel.scalars[i] += scale * noise.scalars[i] }
        #expect(try RankSelection.evbmfTuckerRanks(kernel: kernel.converted(to: Float.self)) == [6, 5])
    }

    @Test func balancedFactorizationOfVGGInput() {
        let parts = balancedFactorization(25088, parts: 6)
        #expect(parts.reduce(1, *) == 25088)
        #expect(parts == [8, 7, 7, 4, 4, 4])
        #expect(balancedFactorization(7, parts: 3) == [7, 1, 1])
        #expect(balancedFactorization(4096, parts: 4) == [8, 8, 8, 8])
    }
}

@Suite struct LargeShapeTests {
    /// A [1000, 1000, 3, 3] kernel with Tucker-2 ranks [100, 100]: factors come from
    /// 1000 × 1000 Gram matrices, never a 9000 × 9000 factor.
    @Test func tucker2OfWideKernelUsesGramPath() throws {
        var generator = SplitMix64(seed: 1)
        let shape = [1000, 1000, 3, 3]
        let x = Tensor<Float>(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(generator.nextNormal()) })
        let result = try partialTucker(x, modes: [0, 1], ranks: [100, 100], algorithm: .hosvd)
        #expect(result.core.shape == [100, 100, 3, 3])
        let u = result.factors[0]
        let identityError = matmul(u, u, transposeA: true).distance(to: .identity(100))
        #expect(identityError < 1e-3)
        let error = result.relativeError(to: x)
        #expect(error > 0.5)
        #expect(error < 1)
    }

    @Test func truncatedSVDOfVGGClassifierShape() throws {
        let x = Synthetic.normal([256, 1568], seed: 2).converted(to: Float.self)
        let d = try truncatedSVD(x, rank: 32)
        #expect(d.u.shape == [256, 32])
        #expect(d.vt.shape == [32, 1568])
        #expect(d.spectrum.count == 32)
        let residual = x.squaredNorm - d.singularValues.reduce(0) { $0 + Double($1) * Double($1) }
        #expect(abs(d.discardedEnergy - residual) < 1e-6 * x.squaredNorm)
    }
}
