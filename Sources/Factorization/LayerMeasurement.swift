import Decomposition
import Foundation
import Graph
import LinearAlgebra
import Runtime

/// Settings of the per-layer checks that `compress` runs on the built-in engine.
public struct MeasurementOptions: Sendable {
    /// Shapes of the model inputs (batch 1 unless the model declares another).
    public var inputShapes: [String: [Int]]
    /// Time the original and factorized layer and keep the original where the
    /// factorized one is not faster (`--keep-if-faster`).
    public var keepIfFaster: Bool
    /// Timed runs per layer and form for `keepIfFaster`; the median counts.
    public var timingRuns: Int
    /// Engine threads for the checks.
    public var threads: Int
    /// Seed of the random layer inputs.
    public var seed: UInt64

    public init(
        inputShapes: [String: [Int]] = [:], keepIfFaster: Bool = false, timingRuns: Int = 15,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 0
    ) {
        self.inputShapes = inputShapes
        self.keepIfFaster = keepIfFaster
        self.timingRuns = timingRuns
        self.threads = threads
        self.seed = seed
    }
}

/// The original layer and its factorized chain as two single-input models.
struct LayerPair {
    var original: Model
    var factorized: Model
    var inputName: String
    var inputShape: [Int]
}

/// Builds the two single-layer models of a rewrite; the input shape comes from shape inference.
func layerPair(node: Node, rewrite: LayerRewrite, graph: Graph, shapes: [String: ValueInfo], opsets: [String: Int])
    -> LayerPair?
{
    guard let input = node.input(0), let output = node.outputs.first,
        let inputShape = knownExtents(shapes[input]?.shape)
    else { return nil }
    let inputInfo = ValueInfo(name: input, elementType: .float, shape: inputShape.map { .known($0) })
    let outputInfo = ValueInfo(name: output, elementType: .float, shape: nil)

    var weights: [String: TensorData] = [:]
    for name in node.inputs.dropFirst() where !name.isEmpty {
        weights[name] = graph.initializers[name]
    }
    let original = Graph(
        name: "original", nodes: [node], initializers: weights, inputs: [inputInfo], outputs: [outputInfo])
    let factorized = Graph(
        name: "factorized", nodes: rewrite.builder.nodes, initializers: rewrite.builder.initializers,
        inputs: [inputInfo], outputs: [outputInfo])
    return LayerPair(
        original: Model(graph: original, opsets: opsets), factorized: Model(graph: factorized, opsets: opsets),
        inputName: input, inputShape: inputShape)
}

/// Runs both forms on one seeded random input: the output error max|y − ŷ| / max|y|
/// and, when `timingRuns > 0`, the median latency of each in milliseconds.
func measure(_ pair: LayerPair, options: MeasurementOptions, timingRuns: Int) throws
    -> (error: Double, original: Double?, factorized: Double?)
{
    var generator = Decomposition.SplitMix64(seed: options.seed)
    let count = pair.inputShape.reduce(1, *)
    let input = Tensor<Float>(shape: pair.inputShape, scalars: (0..<count).map { _ in Float(generator.nextNormal()) })
    let engineOptions = InferenceOptions(optimize: true, threads: options.threads)
    let original = try InferenceSession(model: pair.original, options: engineOptions)
    let factorized = try InferenceSession(model: pair.factorized, options: engineOptions)
    let feeds = [pair.inputName: input]
    let expected = try original.run(inputs: feeds).values.first!
    let actual = try factorized.run(inputs: feeds).values.first!

    var maxDifference: Float = 0
    var maxMagnitude: Float = 0
    for (y, yHat) in zip(expected.scalars, actual.scalars) {
        maxDifference = max(maxDifference, abs(y - yHat))
        maxMagnitude = max(maxMagnitude, abs(y))
    }
    let error = maxMagnitude > 0 ? Double(maxDifference / maxMagnitude) : Double(maxDifference)
    guard timingRuns > 0 else { return (error, nil, nil) }
    return (error, try medianMilliseconds(original, feeds, timingRuns), try medianMilliseconds(factorized, feeds, timingRuns))
}

private func medianMilliseconds(_ session: InferenceSession, _ feeds: [String: Tensor<Float>], _ runs: Int) throws -> Double {
    _ = try session.run(inputs: feeds)
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try session.run(inputs: feeds)
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    return times[times.count / 2]
}

