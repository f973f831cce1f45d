import Datasets
import Decomposition
import Foundation
import LinearAlgebra

/// `factorize decompose`: decomposes one tensor stored as .npy and reports the result.
enum DecomposeCommand: Command {
    static let methods = ["cp", "tucker", "tucker2", "tt", "tr"]

    static let spec = CommandSpec(
        name: "decompose",
        abstract: "Decompose a tensor stored as .npy with CP, Tucker, Tucker-2, TT or TR.",
        discussion: """
            The tensor is read as float32 or float64 (C order) and decomposed in that precision.
            --rank takes one integer or a comma-separated list: Tucker one rank per mode, Tucker-2
            the output then input channel ranks (modes 0 and 1), TT the d-1 inner ranks, TR the d
            ring ranks starting with r0, CP one integer. One integer is used for every rank.
            Without a rank option, --ratio 0.5 applies.
            """,
        positionals: [PositionalSpec("TENSOR", "Input tensor (.npy, float32 or float64).")],
        options: [
            .value("method", "METHOD", "Decomposition: cp, tucker, tucker2, tt or tr."),
            .value("rank", "R[,R...]", "Fixed ranks (see above)."),
            .value("ratio", "F", "Keep at most this fraction of the tensor's elements as parameters, in (0, 1]."),
            .value("energy", "E", "Keep this fraction of each unfolding's spectral energy, in (0, 1]."),
            .flag("vbmf", "Choose Tucker-2 ranks by EVBMF (Nakajima et al. 2013)."),
            .value("init", "svd|random", "CP initialisation (default svd)."),
            .value("seed", "S", "Seed for random initialisation (default 0)."),
            .value("max-iter", "N", "CP-ALS or HOOI iterations, TR-ALS sweeps for tr (defaults 100, 100, 0)."),
            .value("tol", "T", "Stop when the relative error changes by less than T (default 1e-8 CP, 1e-4 HOOI)."),
            .flag("line-search", "CP: extrapolate factors after each sweep (Bro 1998)."),
            .value("l2", "ALPHA", "CP: ridge regularisation weight against degenerate components (default 0)."),
            .flag("hosvd", "Tucker: stop after the truncated HOSVD instead of refining with HOOI."),
            .value("output", short: "o", "DIR", "Write the factors as .npy files into DIR."),
            .flag("json", "Print one JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let path = try arguments.requiredPositional("TENSOR")
        guard let method = try arguments.choice("method", in: methods) else {
            throw UsageError("missing required option --method (one of \(methods.joined(separator: ", ")))", command: spec.name)
        }
        let request = try DecompositionRequest(arguments, method: method)
        let url = URL(fileURLWithPath: path)
        let array = try NpyFile.read(url)

        let outcome: DecompositionOutcome
        if array.dtype == .float64 {
            outcome = try request.run(on: array.doubleTensor())
        } else {
            outcome = try request.run(on: array.floatTensor())
        }

        if let directory = arguments.string("output") {
            try outcome.writeFactors(to: URL(fileURLWithPath: directory))
        }
        if arguments.flag("json") {
            console.print(try outcome.jsonString())
        } else {
            console.print(outcome.summary)
        }
    }
}
