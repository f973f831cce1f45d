import Foundation

/// A table of the report, rendered as Markdown, CSV or LaTeX.
///
/// Markdown and LaTeX show rounded numbers for reading and mark unavailable cells with a
/// numbered note that gives the reason. CSV keeps every number at full precision for
/// further processing and writes unavailable cells as `unavailable: <reason>`.
public struct ReportTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        /// Header for Markdown and LaTeX, such as `Size (MB)`.
        public var header: String
        /// Header for CSV, snake_case, such as `size_mb`.
        public var csvName: String
        /// Group shown above the header in LaTeX (a runtime name), or nil.
        public var group: String?
        public var isNumeric: Bool

        public init(header: String, csvName: String, group: String? = nil, isNumeric: Bool = true) {
            self.header = header
            self.csvName = csvName
            self.group = group
            self.isNumeric = isNumeric
        }
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A number shown with `decimals` digits after the point in Markdown and LaTeX.
        case number(Double, decimals: Int)
        case missing
        case unavailable(String)
    }

    public var title: String
    public var columns: [Column]
    public var rows: [[Cell]]

    public init(title: String, columns: [Column], rows: [[Cell]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row needs one cell per column")
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// Distinct reasons of unavailable cells, in order of first appearance; a cell's note
    /// number is its reason's index plus one.
    public var unavailableReasons: [String] {
        var reasons: [String] = []
        for row in rows {
            for case .unavailable(let reason) in row where !reasons.contains(reason) {
                reasons.append(reason)
            }
        }
        return reasons
    }

    // MARK: Markdown

    /// Renders a GitHub-flavored Markdown pipe table, with numeric columns right-aligned and
    /// a numbered list of unavailable reasons below it.
    public func markdown() -> String {
        let reasons = unavailableReasons
        var lines = [
            "| " + columns.map { escapeMarkdown($0.header) }.joined(separator: " | ") + " |",
            "|" + columns.map { $0.isNumeric ? " ---: |" : " --- |" }.joined(),
        ]
        for row in rows {
            let cells = row.map { cell -> String in
                switch cell {
                case .text(let text): return escapeMarkdown(text)
                case .number(let value, let decimals): return formatFixed(value, decimals: decimals)
                case .missing: return "–"
                case .unavailable(let reason): return "unavailable [\(reasons.firstIndex(of: reason)! + 1)]"
                }
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        if !reasons.isEmpty {
            lines.append("")
            for (index, reason) in reasons.enumerated() {
                lines.append("\(index + 1). Unavailable: \(escapeMarkdown(reason))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: CSV

    /// Renders RFC 4180 CSV: a header line of `csvName`s, CRLF line ends, and fields quoted
    /// when they contain a comma, a double quote, CR or LF, with inner quotes doubled.
    public func csv() -> String {
        var lines = [columns.map { csvField($0.csvName) }.joined(separator: ",")]
        for row in rows {
            lines.append(row.map(csvCell).joined(separator: ","))
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    private func csvCell(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): return csvField(text)
        case .number(let value, _): return csvNumber(value)
        case .missing: return ""
        case .unavailable(let reason): return csvField("unavailable: \(reason)")
        }
    }

    // MARK: LaTeX

    /// Renders a booktabs `tabular` (needs `\usepackage{booktabs}`) inside a `table`
    /// environment with the title as caption. Runtime groups get a spanning header with a
    /// `\cmidrule`; every text is escaped for LaTeX.
    public func latex(label: String? = nil) -> String {
        let reasons = unavailableReasons
        let alignment = columns.map { $0.isNumeric ? "r" : "l" }.joined()
        var lines = [
            "\\begin{table}[htbp]",
            "\\centering",
            "\\small",
            "\\caption{\(escapeLaTeX(title))}",
        ]
        if let label { lines.append("\\label{\(escapeLaTeX(label))}") }

        lines.append("\\begin{tabular}{\(alignment)}")
        lines.append("\\toprule")
        lines += groupHeaderLines()
        lines.append(columns.map { escapeLaTeX(groupedHeader($0)) }.joined(separator: " & ") + " \\\\")
        lines.append("\\midrule")

        for row in rows {
            let cells = row.map { cell -> String in
                switch cell {
                case .text(let text): return escapeLaTeX(text)
                case .number(let value, let decimals): return formatFixed(value, decimals: decimals)
                case .missing: return "--"
                case .unavailable(let reason): return "n/a\\textsuperscript{\(reasons.firstIndex(of: reason)! + 1)}"
                }
            }
            lines.append(cells.joined(separator: " & ") + " \\\\")
        }

        lines.append("\\bottomrule")
        lines.append("\\end{tabular}")
        for (index, reason) in reasons.enumerated() {
            lines.append("\\par\\footnotesize\\textsuperscript{\(index + 1)}Unavailable: \(escapeLaTeX(reason))")
        }
        lines.append("\\end{table}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Returns the header under a group, without the group name when it starts with it.
    private func groupedHeader(_ column: Column) -> String {
        guard let group = column.group, column.header.hasPrefix(group + " ") else { return column.header }
        return String(column.header.dropFirst(group.count + 1))
    }

    /// Renders the `\multicolumn` line and `\cmidrule`s for runs of columns that share a group.
    private func groupHeaderLines() -> [String] {
        guard columns.contains(where: { $0.group != nil }) else { return [] }
        var cells: [String] = []
        var rules: [String] = []
        var start = 0
        while start < columns.count {
            var end = start
            while end + 1 < columns.count, columns[end + 1].group == columns[start].group { end += 1 }
            let span = end - start + 1
            if let group = columns[start].group {
                cells.append("\\multicolumn{\(span)}{c}{\(escapeLaTeX(group))}")
                rules.append("\\cmidrule(lr){\(start + 1)-\(end + 1)}")
            } else {
                cells.append(contentsOf: repeatElement("", count: span))
            }
            start = end + 1
        }
        return [cells.joined(separator: " & ") + " \\\\", rules.joined(separator: " ")]
    }
}

/// Escapes the characters that LaTeX treats specially in text mode.
public func escapeLaTeX(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "\\": escaped += "\\textbackslash{}"
        case "{", "}", "&", "%", "$", "#", "_": escaped += "\\\(character)"
        case "~": escaped += "\\textasciitilde{}"
        case "^": escaped += "\\textasciicircum{}"
        case "<": escaped += "\\textless{}"
        case ">": escaped += "\\textgreater{}"
        case "\n", "\r", "\r\n": escaped += " "
        default: escaped.append(character)
        }
    }
    return escaped
}

/// Quotes a CSV field when RFC 4180 requires it.
public func csvField(_ text: String) -> String {
    let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    guard needsQuotes else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

private func escapeMarkdown(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r\n", with: " ")
        .replacingOccurrences(of: "\n", with: " ")
}

/// Shortest decimal that reads back as the same Double, without exponent for common magnitudes.
private func csvNumber(_ value: Double) -> String {
    if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}

/// Formats with a fixed number of digits after the decimal point.
func formatFixed(_ value: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", value)
}
