/// Declaration of one command-line option.
struct OptionSpec: Sendable {
    /// Long name without dashes, e.g. `"rank"` for `--rank`.
    let name: String
    /// Optional one-letter alias, e.g. `"o"` for `-o`.
    let shortName: Character?
    /// Placeholder shown in help for the option's value; nil for a flag that takes none.
    let valueName: String?
    let help: String
    /// True when the option may be given several times (values accumulate).
    let repeatable: Bool

    /// Declares an option that takes a value.
    static func value(
        _ name: String, short: Character? = nil, _ valueName: String, _ help: String, repeatable: Bool = false
    ) -> OptionSpec {
        OptionSpec(name: name, shortName: short, valueName: valueName, help: help, repeatable: repeatable)
    }

    /// Declares a boolean flag.
    static func flag(_ name: String, short: Character? = nil, _ help: String) -> OptionSpec {
        OptionSpec(name: name, shortName: short, valueName: nil, help: help, repeatable: false)
    }

    var isFlag: Bool { valueName == nil }

    var usageName: String {
        var text = "--\(name)"
        if let shortName { text = "-\(shortName), " + text }
        if let valueName { text += " \(valueName)" }
        return text
    }
}

/// Declaration of one positional argument.
struct PositionalSpec: Sendable {
    let name: String
    let help: String
    let optional: Bool

    init(_ name: String, _ help: String, optional: Bool = false) {
        self.name = name
        self.help = help
        self.optional = optional
    }
}

/// Everything the parser and the help text need to know about a command.
struct CommandSpec: Sendable {
    /// Command name as typed after `factorize`, e.g. `"compress"` or `"zoo build"`.
    let name: String
    /// One-line summary for the command list.
    let abstract: String
    /// Longer description printed under the usage line, or empty.
    let discussion: String
    let positionals: [PositionalSpec]
    let options: [OptionSpec]

    init(
        name: String, abstract: String, discussion: String = "",
        positionals: [PositionalSpec] = [], options: [OptionSpec] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.positionals = positionals
        self.options = options
    }

    func option(named name: String) -> OptionSpec? {
        if let option = options.first(where: { $0.name == name }) { return option }
        return name == CommandSpec.helpOption.name ? CommandSpec.helpOption : nil
    }

    func option(short: Character) -> OptionSpec? {
        if let option = options.first(where: { $0.shortName == short }) { return option }
        return short == "h" ? CommandSpec.helpOption : nil
    }

    static let helpOption = OptionSpec.flag("help", short: "h", "Show help for this command.")
}
