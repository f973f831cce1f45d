import Factorization
import Graph
import Testing

@Test(arguments: [FactorizationMethod.svd, .cp, .tucker2, .tt, .tr], [false, true])
func gemmExactAtFullRank(method: FactorizationMethod, transB: Bool) throws {
    let model = gemmModel(outputs: 12, inputs: 18, transB: transB, alpha: 0.5, beta: 2)
    let (compressed, report) = try compressModel(model, options: fullRank(method))
    #expect(report.layers.count == 1)
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test(arguments: [FactorizationMethod.tt, .tr])
func tensorizedGemmUsesOnlyStandardOps(method: FactorizationMethod) throws {
    let model = gemmModel(outputs: 16, inputs: 24, transB: true)
    let (compressed, _) = try compressModel(model, options: fullRank(method))
    let opTypes = Set(compressed.graph.nodes.map(\.opType))
    #expect(opTypes.isSubset(of: ["Reshape", "Transpose", "MatMul", "Add"]))
}

@Test func gemmWithoutBiasStaysBiasFree() throws {
    let model = gemmModel(outputs: 8, inputs: 6, transB: true, bias: false)
    let (compressed, _) = try compressModel(model, options: fullRank(.svd))
    #expect(!compressed.graph.nodes.contains { $0.opType == "Add" })
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

/// A random 12×18 matrix has a flat spectrum, so energy 0.99 needs a rank well above 8, and at
/// rank 8 the factors (30 parameters per rank, plus 12 biases) already outnumber the layer's 228.
@Test func energyRankWithoutSavingKeepsLayer() throws {
    let model = gemmModel(outputs: 12, inputs: 18, transB: true)
    let options = CompressionOptions(method: .svd, rankPolicy: .energy(0.99), selection: everyLayer)
    let (compressed, report) = try compressModel(model, options: options)
    #expect(report.layers.isEmpty)
    #expect(report.skipped.map(\.layer) == ["fc"])
    #expect(report.skipped.first?.reason.contains("not fewer than the layer's 228") == true)
    #expect(compressed.graph.nodes.map(\.opType) == ["Gemm"])
}

@Test func fixedRankWithoutSavingIsApplied() throws {
    let model = gemmModel(outputs: 12, inputs: 18, transB: true)
    let options = CompressionOptions(method: .svd, rankPolicy: .fixed(11), selection: everyLayer)
    let (_, report) = try compressModel(model, options: options)
    #expect(report.layers.map(\.layer) == ["fc"])
    #expect(report.skipped.isEmpty)
}
