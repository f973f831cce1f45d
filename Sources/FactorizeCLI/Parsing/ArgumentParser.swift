/// Command-line arguments after parsing against a `CommandSpec`.
struct ParsedArguments: Sendable {
    let command: String
    var positionals: [String: String] = [:]
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    /// True when the flag was given.
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Returns the positional argument's value, or nil when an optional one was omitted.
    func positional(_ name: String) -> String? { positionals[name] }

    /// Returns the positional argument's value, and throws when it is missing.
    func requiredPositional(_ name: String) throws -> String {
        guard let value = positionals[name] else {
            throw UsageError("missing argument \(name) for 'factorize \(command)'", command: command)
        }
        return value
    }

    /// Returns the last value given for an option, or nil.
    func string(_ name: String) -> String? { values[name]?.last }

    /// Returns all values given for a repeatable option, in order.
    func strings(_ name: String) -> [String] { values[name] ?? [] }

    /// Returns the option's value, and throws when the option is missing.
    func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw UsageError("missing required option --\(name) for 'factorize \(command)'", command: command)
        }
        return value
    }

    /// Parses the option's value as an integer; nil when the option is absent.
    func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else {
            throw UsageError("invalid value '\(text)' for --\(name): expected an integer", command: command)
        }
        return value
    }

    /// Parses the option's value as a finite number; nil when the option is absent.
    func double(_ name: String) throws -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw UsageError("invalid value '\(text)' for --\(name): expected a number", command: command)
        }
        return value
    }

    /// Parses the option's value as a comma-separated list of integers; nil when the option is absent.
    func intList(_ name: String) throws -> [Int]? {
        guard let text = string(name) else { return nil }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count, !numbers.isEmpty else {
            throw UsageError(
                "invalid value '\(text)' for --\(name): expected an integer or a comma-separated list such as 16,32",
                command: command)
        }
        return numbers
    }

    /// The option's value, which must be one of `choices`, or nil when absent.
    func choice(_ name: String, in choices: [String]) throws -> String? {
        guard let text = string(name) else { return nil }
        guard choices.contains(text) else {
            throw UsageError(
                "invalid value '\(text)' for --\(name): expected one of \(choices.joined(separator: ", "))",
                command: command)
        }
        return text
    }
}

/// Parses `arguments` (the words after the command name) against `spec`.
///
/// Accepts `--name value`, `--name=value`, `-x value`, flags, and `--` to end
/// options. Unknown options, missing values and surplus positionals are usage errors.
func parseArguments(_ arguments: [String], spec: CommandSpec) throws -> ParsedArguments {
    var parsed = ParsedArguments(command: spec.name)
    var positionalValues: [String] = []
    var index = 0
    var optionsEnded = false

    while index < arguments.count {
        let word = arguments[index]
        index += 1
        if optionsEnded || word == "-" || !word.hasPrefix("-") || Double(word) != nil {
            positionalValues.append(word)
            continue
        }
        if word == "--" {
            optionsEnded = true
            continue
        }

        let (option, inlineValue) = try resolveOption(word, spec: spec)
        if option.isFlag {
            if inlineValue != nil {
                throw UsageError("option --\(option.name) takes no value (got '\(word)')", command: spec.name)
            }
            parsed.flags.insert(option.name)
            continue
        }

        let value: String
        if let inlineValue {
            value = inlineValue
        } else if index < arguments.count {
            value = arguments[index]
            index += 1
        } else {
            throw UsageError("option --\(option.name) needs a value \(option.valueName ?? "")", command: spec.name)
        }
        if !option.repeatable, parsed.values[option.name] != nil {
            throw UsageError("option --\(option.name) given more than once", command: spec.name)
        }
        parsed.values[option.name, default: []].append(value)
    }

    if parsed.flag("help") { return parsed }
    try assignPositionals(positionalValues, to: &parsed, spec: spec)
    return parsed
}

private func resolveOption(_ word: String, spec: CommandSpec) throws -> (OptionSpec, String?) {
    if word.hasPrefix("--") {
        let body = word.dropFirst(2)
        let name: Substring
        let inlineValue: String?
        if let equals = body.firstIndex(of: "=") {
            name = body[..<equals]
            inlineValue = String(body[body.index(after: equals)...])
        } else {
            name = body
            inlineValue = nil
        }
        guard let option = spec.option(named: String(name)) else {
            throw UsageError("unknown option '--\(name)' for 'factorize \(spec.name)'", command: spec.name)
        }
        return (option, inlineValue)
    }

    let letters = word.dropFirst()
    guard letters.count == 1, let option = spec.option(short: letters.first!) else {
        throw UsageError("unknown option '\(word)' for 'factorize \(spec.name)'", command: spec.name)
    }
    return (option, nil)
}

private func assignPositionals(_ values: [String], to parsed: inout ParsedArguments, spec: CommandSpec) throws {
    let required = spec.positionals.filter { !$0.optional }.count
    if values.count < required {
        let missing = spec.positionals[values.count]
        throw UsageError("missing argument \(missing.name) for 'factorize \(spec.name)'", command: spec.name)
    }
    if values.count > spec.positionals.count {
        let surplus = values[spec.positionals.count]
        throw UsageError("unexpected argument '\(surplus)' for 'factorize \(spec.name)'", command: spec.name)
    }
    for (positional, value) in zip(spec.positionals, values) {
        parsed.positionals[positional.name] = value
    }
}
