import Testing

@testable import FactorizeCLI

private let compressSpec = CommandSpec(
    name: "compress", abstract: "Compress a model.",
    positionals: [PositionalSpec("MODEL", "Input model."), PositionalSpec("EXTRA", "Optional.", optional: true)],
    options: [
        .value("output", short: "o", "OUT", "Output path."),
        .value("rank", "N", "Rank."),
        .value("ratio", "F", "Fraction kept."),
        .value("layers", "REGEX", "Layers to include.", repeatable: true),
        .flag("json", "Print JSON."),
    ])

@Test func parserReadsOptionsAndPositionals() throws {
    let parsed = try parseArguments(["m.onnx", "-o", "out.onnx", "--rank=8", "--json"], spec: compressSpec)
    #expect(parsed.positional("MODEL") == "m.onnx")
    #expect(parsed.positional("EXTRA") == nil)
    #expect(parsed.string("output") == "out.onnx")
    #expect(try parsed.int("rank") == 8)
    #expect(parsed.flag("json"))
}

@Test func parserAccumulatesRepeatableOption() throws {
    let parsed = try parseArguments(["m", "--layers", "a", "--layers", "b"], spec: compressSpec)
    #expect(parsed.strings("layers") == ["a", "b"])
}

@Test func parserRejectsUnknownOption() {
    #expect(throws: UsageError.self) { try parseArguments(["m", "--rnk", "3"], spec: compressSpec) }
}

@Test func parserRejectsRepeatedSingleOption() {
    #expect(throws: UsageError.self) { try parseArguments(["m", "--rank", "3", "--rank", "4"], spec: compressSpec) }
}

@Test func parserRejectsMissingValue() {
    #expect(throws: UsageError.self) { try parseArguments(["m", "--rank"], spec: compressSpec) }
}

@Test func parserRejectsMissingPositional() {
    #expect(throws: UsageError.self) { try parseArguments(["--json"], spec: compressSpec) }
}

@Test func parserRejectsSurplusPositional() {
    #expect(throws: UsageError.self) { try parseArguments(["a", "b", "c"], spec: compressSpec) }
}

@Test func parserRejectsValueOnFlag() {
    #expect(throws: UsageError.self) { try parseArguments(["m", "--json=yes"], spec: compressSpec) }
}

@Test func parserTreatsNegativeNumberAsValue() throws {
    let parsed = try parseArguments(["m", "--rank", "-3"], spec: compressSpec)
    #expect(try parsed.int("rank") == -3)
}

@Test func parserEndsOptionsAtDoubleDash() throws {
    let parsed = try parseArguments(["--", "--weird-name.onnx"], spec: compressSpec)
    #expect(parsed.positional("MODEL") == "--weird-name.onnx")
}

@Test func invalidIntegerNamesOptionAndValue() throws {
    let parsed = try parseArguments(["m", "--rank", "eight"], spec: compressSpec)
    do {
        _ = try parsed.int("rank")
        Issue.record("expected a usage error")
    } catch let error as UsageError {
        #expect(error.message.contains("--rank"))
        #expect(error.message.contains("eight"))
    }
}

@Test func intListParsesCommaSeparatedRanks() throws {
    let parsed = try parseArguments(["m", "--rank", "16, 32,8"], spec: compressSpec)
    #expect(try parsed.intList("rank") == [16, 32, 8])
    let bad = try parseArguments(["m", "--rank", "16,,8"], spec: compressSpec)
    #expect(throws: UsageError.self) { try bad.intList("rank") }
}

@Test func helpFlagSkipsPositionalCheck() throws {
    let parsed = try parseArguments(["--help"], spec: compressSpec)
    #expect(parsed.flag("help"))
}

@Test func helpTextListsEveryOption() {
    let text = helpText(for: compressSpec)
    for option in ["--output", "--rank", "--ratio", "--layers", "--json", "--help", "MODEL"] {
        #expect(text.contains(option), "help text lacks \(option)")
    }
}
