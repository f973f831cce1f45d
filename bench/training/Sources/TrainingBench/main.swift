import Foundation
import Graph
import LinearAlgebra
import Training

// training-bench MODEL.onnx THREADS BATCH STEPS WARMUP
//     Trains the model as written (every float initializer a parameter) with Nesterov SGD on
//     seeded random images of the model's input shape and random labels, and prints one JSON
//     line: median images per second over STEPS steps after WARMUP steps, and the peak
//     resident set size (MiB).

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

let arguments = CommandLine.arguments
guard arguments.count == 6, let threads = Int(arguments[2]), let batch = Int(arguments[3]),
    let steps = Int(arguments[4]), let warmup = Int(arguments[5])
else { fail("usage: training-bench MODEL THREADS BATCH STEPS WARMUP") }

do {
    let model = try Model.load(from: URL(fileURLWithPath: arguments[1]))
    let session = try TrainingSession(model: model, threads: threads)
    let input = model.graph.inputs[0]
    let shape = [batch] + (input.shape ?? []).dropFirst().map { dim -> Int in
        if case .known(let value) = dim { return value }
        fail("input \(input.name) has a symbolic dimension; give the model a fixed image shape")
    }
    var generator = SplitMix64(seed: 1)
    let images = Tensor<Float>(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(generator.nextNormal()) })
    let labels = (0..<batch).map { _ in Int(generator.next() % 10) }
    let optimizer = Optimizer(.sgd(momentum: 0.9, nesterov: true, weightDecay: 5e-4))
    var rates: [Double] = []
    for step in 0..<(warmup + steps) {
        let start = DispatchTime.now().uptimeNanoseconds
        let logits = try session.forward([input.name: images])[session.outputs[0]]!
        let loss = Loss.softmaxCrossEntropy(logits: logits, labels: labels)
        session.backward([session.outputs[0]: loss.gradient])
        optimizer.step(session, learningRate: 0.01)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if step >= warmup { rates.append(Double(batch) / seconds) }
    }
    rates.sort()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    print(String(format: "{\"images_per_s\": %.1f, \"peak_rss_mib\": %.1f}", rates[rates.count / 2], Double(usage.ru_maxrss) / 1024))
} catch {
    fail("training-bench: \(error)")
}
