/// Mean over a set of axes. `keptShape` is the input shape with reduced axes set to 1;
/// each input element is added into the output element it projects to, then divided
/// by the number of reduced elements.
func reduceMean(
    input: UnsafePointer<Float>, inputShape: [Int], reducedAxes: Set<Int>, output: UnsafeMutablePointer<Float>,
    threads: Int
) {
    let keptShape = inputShape.enumerated().map { reducedAxes.contains($0.offset) ? 1 : $0.element }
    let outputCount = Shapes.count(keptShape)
    let reducedCount = max(1, Shapes.count(inputShape) / max(1, outputCount))

    // Reduced axes forming a trailing block are contiguous: one mean per plane.
    let firstReduced = inputShape.count - reducedAxes.count
    if reducedAxes.allSatisfy({ $0 >= firstReduced }) {
        meanOfPlanes(input, planeCount: outputCount, plane: reducedCount, output: output, threads: threads)
        return
    }

    let outputStrides = Shapes.broadcastStrides(keptShape, to: inputShape)
        .enumerated().map { reducedAxes.contains($0.offset) ? 0 : $0.element }
    let targets = Shapes.stridedIndices(shape: inputShape, sourceStrides: outputStrides)
    output.initialize(repeating: 0, count: outputCount)
    for (i, target) in targets.enumerated() { output[target] += input[i] }
    let scale = 1 / Float(reducedCount)
    for i in 0..<outputCount { output[i] *= scale }
}
