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
