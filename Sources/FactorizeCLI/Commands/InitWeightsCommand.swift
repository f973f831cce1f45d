import Foundation
import Graph

/// `factorize init-weights`: turns a weightless graph into a runnable model.
enum InitWeightsCommand: Command {
    static let spec = CommandSpec(
        name: "init-weights",
        abstract: "Fill weights that a graph declares as inputs with seeded random values.",
        discussion: """
            Convolution and Gemm weights get He-normal values (std sqrt(2 / fan_in)), biases zeros,
            BatchNormalization scale near 1, running mean near 0 and running variance in [0.5, 1.5].
            The weights become initializers; the first graph input stays the model's data input.
            """,
        positionals: [PositionalSpec("GRAPH", "ONNX graph whose weights are graph inputs.")],
        options: [
            .value("output", short: "o", "MODEL", "Path of the runnable model to write."),
            .value("seed", "S", "Seed of the random values (default 0)."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let input = URL(fileURLWithPath: try arguments.requiredPositional("GRAPH"))
        let output = URL(fileURLWithPath: try arguments.requiredString("output"))
        let seed = try arguments.int("seed") ?? 0
        guard seed >= 0 else {
            throw UsageError("invalid value '\(seed)' for --seed: expected 0 or more", command: spec.name)
        }
        let model = try Model.load(from: input)
        let filled = try initializeWeights(model, seed: UInt64(seed))
        try filled.save(to: output)
        let added = filled.graph.initializers.count - model.graph.initializers.count
        console.log("wrote \(output.path): \(added) weight tensors filled (seed \(seed))")
    }
}
