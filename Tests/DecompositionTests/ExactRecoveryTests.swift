import Decomposition
import LinearAlgebra
import Testing

/// Every method recovers a Float64 tensor built at its true rank to a relative
/// error below 1e-5.
@Suite struct ExactRecoveryTests {
    @Test func cpALSRecoversRankThreeTensor() throws {
        let x = Synthetic.cp([6, 7, 8], rank: 3, seed: 1)
        let result = try cpALS(x, rank: 3, options: CPOptions(maxIterations: 500, tolerance: 0))
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func hosvdRecoversTuckerTensor() throws {
        let x = Synthetic.tucker([6, 7, 8], ranks: [2, 3, 4], seed: 2)
        let result = try tucker(x, ranks: [2, 3, 4], algorithm: .hosvd)
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func hooiRecoversTuckerTensor() throws {
        let x = Synthetic.tucker([6, 7, 8], ranks: [2, 3, 4], seed: 3)
        let result = try tucker(x, ranks: [2, 3, 4], algorithm: .hooi())
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func partialTuckerRecoversTucker2Kernel() throws {
        let x = Synthetic.tucker([12, 10, 3, 3], ranks: [4, 5, 3, 3], seed: 4)
        let result = try partialTucker(x, modes: [0, 1], ranks: [4, 5])
        #expect(result.core.shape == [4, 5, 3, 3])
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func ttSVDRecoversTrain() throws {
        let x = Synthetic.train([4, 5, 6, 3], ranks: [1, 3, 4, 2, 1], seed: 5)
        let result = try tensorTrain(x, maxRanks: [3, 4, 2])
        #expect(result.ranks == [1, 3, 4, 2, 1])
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func ttSVDWithErrorTargetFindsTrueRanks() throws {
        let x = Synthetic.train([4, 5, 6, 3], ranks: [1, 3, 4, 2, 1], seed: 6)
        let result = try tensorTrain(x, relativeError: 1e-8)
        #expect(result.ranks == [1, 3, 4, 2, 1])
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func ttMatrixRecoversTrainMatrix() throws {
        // A TT-matrix with bond rank 2 over [3·2, 4·5] modes.
        let tensor = Synthetic.train([6, 20], ranks: [1, 2, 1], seed: 7)
        let matrix = tensor.reshaped([3, 2, 4, 5]).permuted([0, 2, 1, 3]).reshaped([12, 10])
        let result = try ttMatrix(matrix, outputShape: [3, 4], inputShape: [2, 5], maxRanks: [2])
        #expect(result.cores[0].shape == [1, 3, 2, 2])
        #expect(result.relativeError(to: matrix) < 1e-5)
    }

    // TR-SVD splits the first SVD's r₀·r₁ components into (r₀, r₁) in an arbitrary
    // basis, so at the true ring ranks it need not be exact. With an error target it
    // picks larger inner ranks and recovers the ring.
    @Test func trSVDRecoversRing() throws {
        let x = Synthetic.ring([6, 5, 4, 5], ranks: [2, 3, 2, 2], seed: 8)
        let result = try tensorRing(x, relativeError: 1e-9)
        #expect(result.ranks[0] * result.ranks[1] == 6)
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func trSVDPredictedErrorMatchesResidual() throws {
        let x = Synthetic.decaying([6, 7, 8, 5], seed: 13)
        let result = try tensorRing(x, ranks: [2, 3, 4, 3])
        #expect(abs(result.errorHistory[0] - result.relativeError(to: x)) < 1e-10)
    }

    @Test func trALSRecoversRingAtTrueRanks() throws {
        let x = Synthetic.ring([6, 5, 4, 5], ranks: [2, 3, 2, 2], seed: 9)
        let result = try tensorRing(x, ranks: [2, 3, 2, 2], alsIterations: 300, tolerance: 0)
        #expect(result.relativeError(to: x) < 1e-5)
    }

    @Test func trMatrixRecoversRingMatrix() throws {
        let tensor = Synthetic.ring([6, 20, 4], ranks: [2, 2, 2], seed: 10)
        let matrix = tensor.reshaped([3, 2, 4, 5, 2, 2]).permuted([0, 2, 4, 1, 3, 5]).reshaped([24, 20])
        let result = try trMatrix(matrix, outputShape: [3, 4, 2], inputShape: [2, 5, 2], relativeError: 1e-9)
        #expect(result.relativeError(to: matrix) < 1e-5)
    }

    @Test func truncatedSVDRecoversLowRankMatrix() throws {
        let x = matmul(Synthetic.normal([30, 4], seed: 11), Synthetic.normal([4, 50], seed: 12))
        let d = try truncatedSVD(x, rank: 4)
        var scaled = d.u
        for i in 0..<30 { for j in 0..<4 { scaled[i, j] *= d.singularValues[j] } }
        #expect(matmul(scaled, d.vt).distance(to: x) / x.frobeniusNorm < 1e-10)
    }
}
