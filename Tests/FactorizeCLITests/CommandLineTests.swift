import Testing

@testable import FactorizeCLI

/// Runs the CLI with captured output; returns (status, stdout, stderr).
func runCapturing(_ arguments: [String]) -> (Int32, String, String) {
    final class Buffer: @unchecked Sendable { var out = ""; var err = "" }
    let buffer = Buffer()
    let console = Console(out: { buffer.out += $0 }, err: { buffer.err += $0 }, errorIsTerminal: false)
    let status = runFactorize(arguments, console: console)
    return (status, buffer.out, buffer.err)
}

@Test func versionPrintsToolVersion() {
    let (status, out, _) = runCapturing(["--version"])
    #expect(status == 0)
    #expect(out.contains(factorizeVersion))
}

@Test func unknownCommandExitsWithUsageStatus() {
    let (status, _, err) = runCapturing(["frobnicate"])
    #expect(status == 64)
    #expect(err.contains("frobnicate"))
}

@Test func topLevelHelpExitsZero() {
    let (status, out, _) = runCapturing(["--help"])
    #expect(status == 0)
    #expect(out.contains("Usage: factorize"))
}
