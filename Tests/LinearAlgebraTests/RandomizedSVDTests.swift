import Foundation
import LinearAlgebra
import Testing

/// Returns a 2048 × 2304 matrix U·diag(σ)·Vᵀ with σ_i = 0.7^i over 64 components: large enough, at rank
/// 24, for `truncatedSVD` to take the randomized path.
private func decayingMatrix() -> Tensor<Double> {
    let (m, n, r) = (2048, 2304, 64)
    var state: UInt64 = 7
    func next() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(state >> 11) / 9_007_199_254_740_992 - 0.5
    }
    let u = try! qr(Tensor(shape: [m, r], scalars: (0..<(m * r)).map { _ in next() })).q
    let v = try! qr(Tensor(shape: [n, r], scalars: (0..<(n * r)).map { _ in next() })).q
    var scaled = u
    for i in 0..<m { for c in 0..<r { scaled.scalars[i * r + c] *= pow(0.7, Double(c)) } }
    return matmul(scaled, v, transposeB: true)
}

@Test func randomizedRankMatchesGramError() throws {
    let a = decayingMatrix()
    let randomized = try truncatedSVD(a, rank: 24)
    let gram = try truncatedSVD(a, rank: 24, method: .gram)
    #expect(randomized.rank == 24)
    #expect(abs(randomized.discardedEnergy - gram.discardedEnergy) <= 1e-6 * a.squaredNorm)
    for (x, y) in zip(randomized.singularValues, gram.singularValues) { #expect(abs(x - y) <= 1e-8) }
}

@Test func randomizedFactorsReconstruct() throws {
    let a = decayingMatrix()
    let result = try truncatedSVD(a, rank: 24)
    var us = result.u
    for i in 0..<a.shape[0] { for c in 0..<24 { us.scalars[i * 24 + c] *= result.singularValues[c] } }
    let approximation = matmul(us, result.vt)
    let residual = zip(a.scalars, approximation.scalars).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    // The squared residual of the returned factors is the discarded energy they report.
    #expect(abs(residual - result.discardedEnergy) <= 1e-6 * a.squaredNorm)
    let gramOfU = matmul(result.u, result.u, transposeA: true)
    for i in 0..<24 { #expect(abs(gramOfU.scalars[i * 24 + i] - 1) <= 1e-10) }
}
