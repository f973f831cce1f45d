/// Renders the `--help` text of a command.
func helpText(for spec: CommandSpec) -> String {
    var lines: [String] = []
    let positionals = spec.positionals.map { $0.optional ? "[\($0.name)]" : $0.name }
    let optionHint = spec.options.isEmpty ? "" : " [options]"
    lines.append("Usage: factorize \(spec.name)\(positionals.isEmpty ? "" : " " + positionals.joined(separator: " "))\(optionHint)")
    lines.append("")
    lines.append(spec.abstract)
    if !spec.discussion.isEmpty {
        lines.append("")
        lines.append(spec.discussion)
    }
    if !spec.positionals.isEmpty {
        lines.append("")
        lines.append("Arguments:")
        for positional in spec.positionals {
            lines.append(formatHelpRow(positional.name, positional.help))
        }
    }
    lines.append("")
    lines.append("Options:")
    for option in spec.options + [CommandSpec.helpOption] {
        lines.append(formatHelpRow(option.usageName, option.help))
    }
    return lines.joined(separator: "\n") + "\n"
}

/// Formats a two-column help row, wrapping the label onto its own line when it is long.
func formatHelpRow(_ label: String, _ help: String) -> String {
    let column = 28
    let indent = "  "
    if label.count + indent.count >= column - 1 {
        return indent + label + "\n" + String(repeating: " ", count: column) + help
    }
    let padding = String(repeating: " ", count: column - indent.count - label.count)
    return indent + label + padding + help
}
