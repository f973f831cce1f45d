import Testing
import LinearAlgebra

/// Deterministic pseudo-random matrices from a linear congruential sequence.
func randomTensor(_ shape: [Int], seed: UInt64 = 1) -> Tensor<Double> {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    let values = (0..<shape.reduce(1, *)).map { _ -> Double in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1.0p-53 * 2 - 1
    }
    return Tensor(shape: shape, scalars: values)
}

func maxDifference(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Double {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

func naiveProduct(_ a: Tensor<Double>, _ b: Tensor<Double>) -> Tensor<Double> {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var c = Tensor<Double>(zeros: [m, n])
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k { sum += a[i, p] * b[p, j] }
            c[i, j] = sum
        }
    }
    return c
}

@Test func matmulMatchesDefinition() {
    let a = randomTensor([5, 7], seed: 1)
    let b = randomTensor([7, 3], seed: 2)
    #expect(maxDifference(matmul(a, b), naiveProduct(a, b)) < 1e-12)
    #expect(maxDifference(matmul(a.transposedMatrix(), b, transposeA: true), naiveProduct(a, b)) < 1e-12)
    #expect(maxDifference(matmul(a, b.transposedMatrix(), transposeB: true), naiveProduct(a, b)) < 1e-12)
}

@Test func matvecMatchesMatmul() {
    let a = randomTensor([4, 6], seed: 3)
    let x = randomTensor([6, 1], seed: 4)
    let expected = matmul(a, x).scalars
    let y = matvec(a, x.scalars)
    #expect(zip(y, expected).allSatisfy { abs($0 - $1) < 1e-12 })
    let yt = matvec(a.transposedMatrix(), x.scalars, transpose: true)
    #expect(zip(yt, expected).allSatisfy { abs($0 - $1) < 1e-12 })
}

@Test func svdReconstructsMatrix() throws {
    for shape in [[6, 4], [4, 6], [5, 5]] {
        let a = randomTensor(shape, seed: 5)
        let d = try svd(a)
        var scaledU = d.u
        for i in 0..<shape[0] {
            for j in 0..<d.rank { scaledU[i, j] *= d.singularValues[j] }
        }
        #expect(maxDifference(matmul(scaledU, d.vt), a) < 1e-12)
        #expect(zip(d.singularValues, d.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }
}

@Test func gramSVDMatchesFullSVD() throws {
    for shape in [[8, 60], [60, 8]] {
        let a = randomTensor(shape, seed: 6)
        let full = try truncatedSVD(a, rank: 5, method: .full)
        let viaGram = try truncatedSVD(a, rank: 5, method: .gram)
        #expect(viaGram.u.shape == [shape[0], 5])
        #expect(viaGram.vt.shape == [5, shape[1]])
        for (x, y) in zip(full.spectrum, viaGram.spectrum) { #expect(abs(x - y) < 1e-10 * full.spectrum[0]) }
        let projectionFull = matmul(full.u, full.u, transposeB: true)
        let projectionGram = matmul(viaGram.u, viaGram.u, transposeB: true)
        #expect(maxDifference(projectionFull, projectionGram) < 1e-9)
    }
}

@Test func truncatedSVDDiscardedEnergyMatchesResidual() throws {
    let a = randomTensor([10, 50], seed: 7)
    let d = try truncatedSVD(a, rank: 4)
    var scaledU = d.u
    for i in 0..<10 {
        for j in 0..<4 { scaledU[i, j] *= d.singularValues[j] }
    }
    let residual = matmul(scaledU, d.vt).distance(to: a)
    #expect(abs(residual * residual - d.discardedEnergy) < 1e-10)
}

@Test func qrFactorsMatrix() throws {
    let a = randomTensor([7, 4], seed: 8)
    let (q, r) = try qr(a)
    #expect(maxDifference(matmul(q, r), a) < 1e-12)
    #expect(maxDifference(matmul(q, q, transposeA: true), .identity(4)) < 1e-12)
    for i in 0..<4 { for j in 0..<i { #expect(r[i, j] == 0) } }
}

@Test func symmetricEigenDiagonalises() throws {
    let b = randomTensor([6, 6], seed: 9)
    let a = gram(b)
    let e = try symmetricEigen(a)
    #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 })
    var scaled = e.vectors
    for i in 0..<6 { for j in 0..<6 { scaled[i, j] *= e.values[j] } }
    #expect(maxDifference(matmul(scaled, e.vectors, transposeB: true), a) < 1e-11)
}

@Test func choleskySolvesBothSides() throws {
    let b = randomTensor([5, 5], seed: 10)
    var a = gram(b)
    for i in 0..<5 { a[i, i] += 1 }
    let rhs = randomTensor([5, 3], seed: 11)
    let x = try choleskySolve(a, rhs)
    #expect(maxDifference(matmul(a, x), rhs) < 1e-11)
    let rowRhs = randomTensor([3, 5], seed: 12)
    let y = try choleskySolveRight(a, rowRhs)
    #expect(maxDifference(matmul(y, a), rowRhs) < 1e-11)
}

@Test func choleskyRejectsIndefiniteMatrix() {
    var a = Tensor<Double>.identity(3)
    a[1, 1] = -1
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dposv", order: 2)) {
        try choleskySolve(a, Tensor<Double>.identity(3))
    }
}

@Test func leastSquaresMatchesNormalEquations() throws {
    let a = randomTensor([9, 4], seed: 13)
    let b = randomTensor([9, 2], seed: 14)
    let x = try leastSquares(a, b)
    let expected = try choleskySolve(gram(a, transpose: true), matmul(a, b, transposeA: true))
    #expect(maxDifference(x, expected) < 1e-10)
}

@Test func pseudoinverseSatisfiesPenroseIdentity() throws {
    let a = matmul(randomTensor([6, 2], seed: 15), randomTensor([2, 5], seed: 16))  // rank 2
    let p = try pseudoinverse(a)
    #expect(p.shape == [5, 6])
    #expect(maxDifference(matmul(matmul(a, p), a), a) < 1e-10)
}

@Test func svdRejectsNaN() {
    var a = randomTensor([3, 3], seed: 17)
    a[1, 2] = .nan
    #expect(throws: LinearAlgebraError.self) { try svd(a) }
}

@Test func unfoldFollowsTensorLyConvention() {
    let x = randomTensor([2, 3, 4], seed: 18)
    let u1 = x.unfolded(mode: 1)
    #expect(u1.shape == [3, 8])
    // Column index runs over (i0, i2) with i2 fastest.
    for i0 in 0..<2 { for i1 in 0..<3 { for i2 in 0..<4 { #expect(u1[i1, i0 * 4 + i2] == x[i0, i1, i2]) } } }
    for mode in 0..<3 {
        #expect(Tensor.folded(x.unfolded(mode: mode), mode: mode, shape: x.shape) == x)
    }
}

@Test func permutedMovesModes() {
    let x = randomTensor([2, 3, 4], seed: 19)
    let y = x.permuted([2, 0, 1])
    #expect(y.shape == [4, 2, 3])
    for i0 in 0..<2 { for i1 in 0..<3 { for i2 in 0..<4 { #expect(y[i2, i0, i1] == x[i0, i1, i2]) } } }
}

@Test func modeProductMatchesUnfoldedProduct() {
    let x = randomTensor([3, 4, 5], seed: 20)
    for mode in 0..<3 {
        let u = randomTensor([2, x.shape[mode]], seed: 21)
        var shape = x.shape
        shape[mode] = 2
        let expected = Tensor.folded(matmul(u, x.unfolded(mode: mode)), mode: mode, shape: shape)
        #expect(maxDifference(x.modeProduct(u, mode: mode), expected) < 1e-12)
        #expect(maxDifference(x.modeProduct(u.transposedMatrix(), mode: mode, transpose: true), expected) < 1e-12)
    }
}

@Test func khatriRaoMatchesDefinition() {
    let a = randomTensor([3, 2], seed: 22)
    let b = randomTensor([4, 2], seed: 23)
    let k = khatriRao([a, b])
    #expect(k.shape == [12, 2])
    for i in 0..<3 { for j in 0..<4 { for r in 0..<2 { #expect(k[i * 4 + j, r] == a[i, r] * b[j, r]) } } }
}

@Test func unfoldingGramMatchesUnfolding() {
    let x = randomTensor([3, 4, 5], seed: 24)
    for mode in 0..<3 {
        #expect(maxDifference(x.unfoldingGram(mode: mode), gram(x.unfolded(mode: mode))) < 1e-12)
    }
}

@Test func normsAccumulateInDouble() {
    let x = Tensor<Float>(shape: [2], scalars: [1, 1e-4])
    let y = Tensor<Float>(shape: [2], scalars: [1, 0])
    #expect(abs(x.distance(to: y) - 1e-4) < 1e-9)
    #expect(abs(x.innerProduct(y) - 1) < 1e-12)
    #expect(abs(x.squaredNorm - (1 + Double(Float(1e-4)) * Double(Float(1e-4)))) < 1e-15)
}

@Test func leadingVectorsCompleteBeyondUnfoldingRank() throws {
    let x = randomTensor([12, 2, 3], seed: 25)  // mode-0 unfolding has rank 6
    let u = try x.leadingLeftSingularVectors(mode: 0, count: 9)
    #expect(u.shape == [12, 9])
    #expect(maxDifference(matmul(u, u, transposeA: true), .identity(9)) < 1e-12)
    // The first six span the unfolding's column space.
    let leading = takeColumnsForTest(u, 6)
    let unfolding = x.unfolded(mode: 0)
    let projected = matmul(leading, matmul(leading, unfolding, transposeA: true))
    #expect(maxDifference(projected, unfolding) < 1e-12)
}

func takeColumnsForTest(_ a: Tensor<Double>, _ k: Int) -> Tensor<Double> {
    var out = Tensor<Double>(zeros: [a.shape[0], k])
    for i in 0..<a.shape[0] { for j in 0..<k { out[i, j] = a[i, j] } }
    return out
}

@Test func largestEigenpairsMatchFullDecomposition() throws {
    let a = gram(randomTensor([8, 8], seed: 26))
    let full = try symmetricEigen(a)
    let top = try largestEigenpairs(a, count: 3)
    for (x, y) in zip(top.values, full.values.suffix(3)) { #expect(abs(x - y) < 1e-10) }
    #expect(top.vectors.shape == [8, 3])
}

/// LAPACKE's single-precision workspace query rounds sizes above 2²⁴ down, which
/// makes ssyevd reject n > 2890; symmetricEigen must still succeed.
@Test func symmetricEigenOfLargeFloatMatrix() throws {
    let n = 2900
    var a = Tensor<Float>(zeros: [n, n])
    for i in 0..<n { a[i, i] = Float(i + 1) }
    let e = try symmetricEigen(a)
    #expect(e.values.first == 1)
    #expect(e.values.last == Float(n))
}
