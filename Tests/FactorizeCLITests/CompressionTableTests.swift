import Factorization
import Foundation
import Testing

@testable import FactorizeCLI

private func report(macsBefore: Int, macsAfter: Int) throws -> CompressionReport {
    let json = """
        {"method": "tt", "rankPolicy": "ratio 0.5", "layers": [], "skipped": [],
         "parametersBefore": 100, "parametersAfter": 50, "macsBefore": \(macsBefore), "macsAfter": \(macsAfter)}
        """
    return try JSONDecoder().decode(CompressionReport.self, from: Data(json.utf8))
}

@Test func tableWarnsWhenMACsGrow() throws {
    let text = CompressionTable(report: try report(macsBefore: 1000, macsAfter: 6000)).render()
    #expect(text.contains("MACs 1000 → 6000"))
    #expect(text.contains("warning: the compressed model needs more MACs than the original"))
}

@Test func tableHasNoWarningWhenMACsShrink() throws {
    let text = CompressionTable(report: try report(macsBefore: 1000, macsAfter: 500)).render()
    #expect(!text.contains("warning"))
}

@Test func tablePrintsMACCountsAboveInt32Range() throws {
    // VGG-16 needs 15.5 G MACs; a 32-bit format would print a negative number.
    let text = CompressionTable(report: try report(macsBefore: 15_470_264_320, macsAfter: 7_000_000_000)).render()
    #expect(text.contains("MACs 15470264320 → 7000000000"))
    #expect(!text.contains("warning"))
}
