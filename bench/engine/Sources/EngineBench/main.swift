import Foundation
import Graph
import LinearAlgebra
import Runtime

// engine-bench prepare FIXTURE OUTPUT.onnx
//     Writes a runnable model: a torchvision structure-only fixture gets seeded random weights.
// engine-bench time MODEL.onnx THREADS RUNS WARMUP [--no-optimize]
//     Prints one JSON line: median and minimum latency (ms) of RUNS runs after WARMUP runs at
//     batch 1, 3×224×224, and the peak resident set size of this process (MiB).
// engine-bench profile MODEL.onnx THREADS RUNS
//     Prints the summed step time per op type and the ten slowest steps, averaged over RUNS runs.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // ru_maxrss is in KiB on Linux
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: engine-bench prepare FIXTURE OUTPUT | time MODEL THREADS RUNS WARMUP [--no-optimize]") }

do {
    switch arguments[1] {
    case "prepare":
        guard arguments.count == 4 else { fail("usage: engine-bench prepare FIXTURE OUTPUT") }
        var model = try Model.load(from: URL(fileURLWithPath: arguments[2]))
        if !model.graph.inputs.dropFirst().isEmpty { model = try initializeWeights(model, seed: 7) }
        try model.save(to: URL(fileURLWithPath: arguments[3]))

    case "time":
        guard arguments.count >= 6, let threads = Int(arguments[3]), let runs = Int(arguments[4]),
            let warmup = Int(arguments[5])
        else { fail("usage: engine-bench time MODEL THREADS RUNS WARMUP [--no-optimize]") }
        let optimize = !arguments.contains("--no-optimize")
        let model = try Model.load(from: URL(fileURLWithPath: arguments[2]))
        let session = try InferenceSession(model: model, options: InferenceOptions(optimize: optimize, threads: threads))
        let input = model.graph.inputs[0].name
        var generator = SplitMix64(seed: 5)
        let image = Tensor<Float>(shape: [1, 3, 224, 224], scalars: (0..<(3 * 224 * 224)).map { _ in Float(generator.nextUniform(-1, 1)) })
        for _ in 0..<warmup { _ = try session.run(inputs: [input: image]) }
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try session.run(inputs: [input: image])
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        print(String(format: "{\"median_ms\": %.3f, \"min_ms\": %.3f, \"peak_rss_mib\": %.1f}", median, times[0], peakResidentMiB()))

    case "profile":
        guard arguments.count >= 5, let threads = Int(arguments[3]), let runs = Int(arguments[4]) else {
            fail("usage: engine-bench profile MODEL THREADS RUNS")
        }
        let model = try Model.load(from: URL(fileURLWithPath: arguments[2]))
        let session = try InferenceSession(model: model, options: InferenceOptions(threads: threads, profile: true))
        let image = Tensor<Float>(repeating: 0.5, shape: [1, 3, 224, 224])
        var totals: [String: Double] = [:]
        var steps: [String: (opType: String, seconds: Double)] = [:]
        _ = try session.run(inputs: [model.graph.inputs[0].name: image])
        for _ in 0..<runs {
            _ = try session.run(inputs: [model.graph.inputs[0].name: image])
            for timing in session.lastProfile ?? [] {
                totals[timing.opType, default: 0] += timing.seconds / Double(runs)
                steps[timing.name, default: (timing.opType, 0)].seconds += timing.seconds / Double(runs)
            }
        }
        for (opType, seconds) in totals.sorted(by: { $0.value > $1.value }) {
            print(String(format: "%-20@ %8.2f ms", opType as NSString, seconds * 1000))
        }
        print("slowest steps:")
        for (name, step) in steps.sorted(by: { $0.value.seconds > $1.value.seconds }).prefix(10) {
            print(String(format: "%8.2f ms  %@ %@", step.seconds * 1000, step.opType as NSString, name as NSString))
        }

    default:
        fail("unknown command \(arguments[1])")
    }
} catch {
    fail("engine-bench: \(error)")
}
