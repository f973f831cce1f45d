import Foundation
import Graph
import Study

/// `factorize inspect`: per-layer shapes, parameters and MACs of a model.
enum InspectCommand: Command {
    static let spec = CommandSpec(
        name: "inspect",
        abstract: "List a model's layers with output shapes, parameters and MACs, and its totals.",
        discussion: """
            Shapes come from shape inference at the declared input shapes, with unknown extents
            (such as a symbolic batch) set to 1 unless --input-shape gives them. Parameters are the
            elements of float initializers, each counted at the first layer that reads it. MACs
            (multiply-accumulates) count Conv, Gemm and MatMul: output elements × the contracted
            extent (for Conv, input channels per group × kernel height × kernel width).
            """,
        positionals: [PositionalSpec("MODEL", "ONNX model to inspect.")],
        options: [
            .value("input-shape", "NAME=D1,D2,...", "Shape of an input, such as input=1,3,224,224 (repeatable).", repeatable: true),
            .flag("json", "Print one JSON object instead of the table."),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws {
        let modelURL = URL(fileURLWithPath: try arguments.requiredPositional("MODEL"))
        let shapes = try inputShapes(arguments.strings("input-shape"))
        guard FileManager.default.fileExists(atPath: modelURL.path) else {
            throw CLIError.fileNotFound(path: modelURL.path, what: "model")
        }
        let model = try Model.load(from: modelURL)
        let inputNames = Set(model.graph.inputs.map(\.name))
        if let unknown = shapes.keys.sorted().first(where: { !inputNames.contains($0) }) {
            throw UsageError(
                "invalid value '\(unknown)' for --input-shape: the model's inputs are \(model.graph.inputs.map(\.name).joined(separator: ", "))",
                command: spec.name)
        }
        let inspection = try ModelInspection(model: model, inputShapes: shapes)
        let bytes = fileSize(modelURL) ?? 0
        if arguments.flag("json") {
            console.print(try jsonText(inspectionJSON(inspection, fileBytes: bytes)))
        } else {
            printTable(inspection, fileBytes: bytes, console: console)
        }
    }

    /// Parses `NAME=1,3,224,224` values.
    static func inputShapes(_ values: [String]) throws -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            let dims = parts.count == 2 ? parts[1].split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) } : []
            guard parts.count == 2, !parts[0].isEmpty, !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) >= 1 }) else {
                throw UsageError(
                    "invalid value '\(value)' for --input-shape: expected NAME=D1,D2,... with positive extents, such as input=1,3,224,224",
                    command: spec.name)
            }
            shapes[parts[0]] = dims.map { $0! }
        }
        return shapes
    }

    static func inspectionJSON(_ inspection: ModelInspection, fileBytes: Int) -> [String: Any] {
        func tensor(_ entry: (name: String, shape: [Int]?)) -> [String: Any] {
            var object: [String: Any] = ["name": entry.name]
            if let shape = entry.shape { object["shape"] = shape }
            return object
        }
        return [
            "parameters": inspection.parameters, "macs": inspection.macs, "file_bytes": fileBytes,
            "opset": inspection.opset, "inputs": inspection.inputs.map(tensor), "outputs": inspection.outputs.map(tensor),
            "layers": inspection.layers.map { layer -> [String: Any] in
                var object: [String: Any] = [
                    "name": layer.name, "op": layer.opType, "parameters": layer.parameters, "macs": layer.macs,
                ]
                if let shape = layer.outputShape { object["output_shape"] = shape }
                return object
            },
        ]
    }

    private static func printTable(_ inspection: ModelInspection, fileBytes: Int, console: Console) {
        let nameWidth = min(max(inspection.layers.map(\.name.count).max() ?? 4, 4), 48)
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        console.print(pad("Layer", nameWidth) + "  " + pad("Op", 22) + "  " + pad("Output shape", 20) + "  " + right("Params", 12) + "  " + right("MACs", 14))
        for layer in inspection.layers {
            let shape = layer.outputShape.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? "?"
            console.print(
                pad(layer.name, nameWidth) + "  " + pad(layer.opType, 22) + "  " + pad(shape, 20) + "  "
                    + right("\(layer.parameters)", 12) + "  " + right("\(layer.macs)", 14))
        }
        func shapes(_ entries: [(name: String, shape: [Int]?)]) -> String {
            entries.map { "\($0.name) " + ($0.shape.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" } ?? "?") }
                .joined(separator: ", ")
        }
        console.print("")
        console.print(String(format: "parameters  %ld (%.3f M)", inspection.parameters, Double(inspection.parameters) / 1e6))
        console.print(String(format: "MACs        %ld (%.1f M)", inspection.macs, Double(inspection.macs) / 1e6))
        console.print(String(format: "file size   %ld bytes (%.2f MB)", fileBytes, Double(fileBytes) / 1e6))
        console.print("opset       \(inspection.opset)")
        console.print("inputs      \(shapes(inspection.inputs))")
        console.print("outputs     \(shapes(inspection.outputs))")
    }
}
