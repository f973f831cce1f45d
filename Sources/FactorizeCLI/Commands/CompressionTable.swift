import Factorization
import Foundation

/// The text report of `compress`: one row per factorized layer, then totals and skipped layers.
struct CompressionTable {
    let report: CompressionReport
    /// The `--ratio` the ranks were chosen for, or nil for other rank policies.
    var targetRatio: Double? = nil

    func render() -> String {
        var rows = [["layer", "weight", "ranks", "params before", "params after", "MACs before", "MACs after", "weight err", "output err"]]
        for layer in report.layers {
            rows.append([
                layer.factorized ? layer.layer : layer.layer + " (kept)",
                layer.weightShape.map(String.init).joined(separator: "×"),
                layer.ranks.map(String.init).joined(separator: ","),
                String(layer.parametersBefore), String(layer.parametersAfter),
                layer.macsBefore.map(String.init) ?? "-", layer.macsAfter.map(String.init) ?? "-",
                String(format: "%.4f", layer.relativeWeightError),
                layer.relativeOutputError.map { String(format: "%.4f", $0) } ?? "-",
            ])
        }
        var lines = formatTable(rows)
        lines.append("")
        lines += totals()
        for layer in report.layers { lines += layerNotes(layer) }
        for skipped in report.skipped {
            lines.append("skipped: \(skipped.layer): \(skipped.reason)")
        }
        return lines.joined(separator: "\n")
    }

    private func totals() -> [String] {
        var lines = [
            String(
                format: "parameters %ld → %ld (compression ratio %.2f×)", report.parametersBefore, report.parametersAfter,
                report.compressionRatio)
        ]
        if let warning = ratioWarning() { lines.append(warning) }
        if let before = report.macsBefore, let after = report.macsAfter, let reduction = report.macReduction {
            lines.append(String(format: "MACs %ld → %ld (reduction %.2f×)", before, after, reduction))
            if after > before {
                // Chain decompositions at a parameter budget can widen the full-resolution stages, and a
                // TT- or TR-matrix at batch 1 can need more MACs than the dense product.
                lines.append(
                    "warning: the compressed model needs more MACs than the original; "
                        + "lower the ranks (--rank, --ratio) or use cp, tucker2 or svd")
            }
        }
        return lines
    }

    /// Returns a warning when the factorized layers keep clearly more of their parameters than
    /// `--ratio` requests, because rank clamps raised their ranks (tensor rings most often).
    private func ratioWarning() -> String? {
        let factorized = report.layers.filter(\.factorized)
        let before = factorized.reduce(0) { $0 + $1.parametersBefore }
        let after = factorized.reduce(0) { $0 + $1.parametersAfter }
        guard let ratio = targetRatio, before > 0 else { return nil }
        let keptFraction = Double(after) / Double(before)
        guard keptFraction > ratio + 0.05 else { return nil }
        return String(
            format: "warning: the factorized layers keep %.0f %% of their parameters, more than --ratio %g requests, "
                + "because rank clamps (the notes below) raised ranks; give lower ranks with --rank or --ranks",
            keptFraction * 100, ratio)
    }

    private func layerNotes(_ layer: LayerReport) -> [String] {
        var lines: [String] = []
        if let factors = layer.matrixFactors {
            let output = factors.output.map(String.init).joined(separator: "·")
            let input = factors.input.map(String.init).joined(separator: "·")
            lines.append("note: \(layer.layer): matrix factors: output \(output), input \(input)")
        }
        if let before = layer.macsBefore, let after = layer.macsAfter, before > 0, after > before {
            lines.append(
                String(format: "note: %@: needs %.1f× the MACs of the original layer", layer.layer, Double(after) / Double(before)))
        }
        for note in layer.notes { lines.append("note: \(layer.layer): \(note)") }
        return lines
    }
}

/// Left-aligns the first column and right-aligns the others, two spaces apart.
func formatTable(_ rows: [[String]]) -> [String] {
    guard let columns = rows.first?.count else { return [] }
    let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            let padding = String(repeating: " ", count: widths[column] - cell.count)
            return column == 0 ? cell + padding : padding + cell
        }.joined(separator: "  ")
    }
}
