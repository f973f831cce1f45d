import Factorization
import Graph
import Testing

/// Geometry cases every mapping must carry over exactly.
struct ConvCase: CustomStringConvertible, Sendable {
    var label: String
    var outChannels = 6
    var inChannels = 5
    var kernel = (3, 3)
    var strides = [1, 1]
    var pads = [1, 1, 1, 1]
    var dilations = [1, 1]
    var bias = true

    var description: String { label }

    func model() -> Model {
        convolutionModel(
            outChannels: outChannels, inChannels: inChannels, kernel: kernel, strides: strides, pads: pads,
            dilations: dilations, bias: bias)
    }
}

let convCases: [ConvCase] = [
    ConvCase(label: "3x3 with bias"),
    ConvCase(label: "bias-free", bias: false),
    ConvCase(label: "stride (2,1)", strides: [2, 1]),
    ConvCase(label: "asymmetric pads", pads: [0, 1, 1, 0]),
    ConvCase(label: "dilation 2", pads: [2, 2, 2, 2], dilations: [2, 2]),
    ConvCase(label: "kernel 1x3", kernel: (1, 3), pads: [0, 1, 0, 1]),
    ConvCase(label: "kernel 5x5", kernel: (5, 5), pads: [2, 2, 2, 2]),
]

/// Full-rank options: a rank above every layer's limit is clamped to the exact rewrite.
func fullRank(_ method: FactorizationMethod) -> CompressionOptions {
    CompressionOptions(method: method, rankPolicy: .fixed(10_000), selection: everyLayer)
}

@Test(arguments: [FactorizationMethod.tucker2, .tt, .tr], convCases)
func convolutionExactAtFullRank(method: FactorizationMethod, convCase: ConvCase) throws {
    let model = convCase.model()
    let (compressed, report) = try compressModel(model, options: fullRank(method))
    #expect(report.layers.count == 1)
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test(arguments: [FactorizationMethod.cp, .cp3], convCases)
func cpExactOnLowRankKernel(method: FactorizationMethod, convCase: ConvCase) throws {
    // A kernel of exact CP rank 2, which ALS recovers, so the chain must reproduce the layer.
    let (o, i, kh, kw) = (convCase.outChannels, convCase.inChannels, convCase.kernel.0, convCase.kernel.1)
    let factors = [o, i, kh, kw].enumerated().map { randomValues($0.element * 2, seed: UInt64(20 + $0.offset)) }
    var weight = [Float](repeating: 0, count: o * i * kh * kw)
    for a in 0..<o { for b in 0..<i { for y in 0..<kh { for x in 0..<kw { for r in 0..<2 {
        weight[((a * i + b) * kh + y) * kw + x] +=
            factors[0][a * 2 + r] * factors[1][b * 2 + r] * factors[2][y * 2 + r] * factors[3][x * 2 + r]
    } } } } }
    let model = convolutionModel(
        outChannels: o, inChannels: i, kernel: convCase.kernel, strides: convCase.strides, pads: convCase.pads,
        dilations: convCase.dilations, bias: convCase.bias, weight: weight)
    var options = CompressionOptions(method: method, rankPolicy: .fixed(2), selection: everyLayer)
    options.cpMaxIterations = 500
    options.cpTolerance = 0
    let (compressed, report) = try compressModel(model, options: options)
    #expect(report.layers.first?.relativeWeightError ?? 1 < 1e-5)
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test func cp3RecoversNonSeparableFilters() throws {
    // Rank 2 over [O, I, kh·kw] with random 3×3 filters: exact for the 3-way cp3, while the
    // 4-way cp, whose filters are outer products of 1-D ones, cannot fit them at rank 2.
    let (o, i, area) = (6, 5, 9)
    let factors = [o, i, area].enumerated().map { randomValues($0.element * 2, seed: UInt64(40 + $0.offset)) }
    var weight = [Float](repeating: 0, count: o * i * area)
    for a in 0..<o { for b in 0..<i { for k in 0..<area { for r in 0..<2 {
        weight[(a * i + b) * area + k] += factors[0][a * 2 + r] * factors[1][b * 2 + r] * factors[2][k * 2 + r]
    } } } }
    let model = convolutionModel(
        outChannels: o, inChannels: i, kernel: (3, 3), strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1],
        bias: true, weight: weight)
    func weightError(_ method: FactorizationMethod) throws -> Double {
        var options = CompressionOptions(method: method, rankPolicy: .fixed(2), selection: everyLayer)
        options.cpMaxIterations = 500
        options.cpTolerance = 0
        return try compressModel(model, options: options).report.layers.first?.relativeWeightError ?? 1
    }
    #expect(try weightError(.cp3) < 1e-5)
    #expect(try weightError(.cp) > 1e-2)
}

@Test(arguments: FactorizationMethod.allCases)
func pointwiseConvolutionExactAtFullRank(method: FactorizationMethod) throws {
    let model = convolutionModel(outChannels: 7, inChannels: 5, kernel: (1, 1), strides: [2, 2], pads: [0, 1, 1, 0])
    let (compressed, report) = try compressModel(model, options: fullRank(method))
    #expect(report.layers.first?.ranks == [5])
    #expect(try relativeOutputError(model, compressed) <= 1e-4)
}

@Test func biasFreeLayerStaysBiasFree() throws {
    let model = convolutionModel(outChannels: 6, inChannels: 5, kernel: (3, 3), pads: [1, 1, 1, 1], bias: false)
    let (compressed, _) = try compressModel(model, options: fullRank(.tucker2))
    let biases = compressed.graph.initializers.keys.filter { $0.hasSuffix("/bias") }
    #expect(biases.isEmpty)
}

@Test func factorizedNodesKeepOriginInNames() throws {
    let model = ConvCase(label: "names").model()
    let (compressed, _) = try compressModel(model, options: fullRank(.tucker2))
    #expect(compressed.graph.nodes.map(\.name) == ["conv/tucker2/0", "conv/tucker2/1", "conv/tucker2/2"])
    #expect(compressed.graph.nodes.last?.outputs == ["y"])
}

@Test(arguments: [(2, 6), (6, 6)])
func groupedConvolutionLeftUnchanged(group: Int, inChannels: Int) throws {
    let model = convolutionModel(
        outChannels: 6, inChannels: inChannels, kernel: (3, 3), pads: [1, 1, 1, 1], group: group)
    let (compressed, report) = try compressModel(model, options: fullRank(.tucker2))
    #expect(report.layers.isEmpty)
    #expect(report.skipped.count == 1)
    #expect(report.skipped.first?.reason.contains("group \(group)") == true)
    #expect(compressed.graph.nodes == model.graph.nodes)
}
