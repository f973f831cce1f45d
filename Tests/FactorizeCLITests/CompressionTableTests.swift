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

@Test func tablePrintsMACsAboveInt32() throws {
    // VGG-16 needs 15.5 G MACs; a 32-bit format would print a negative number.
    let text = CompressionTable(report: try report(macsBefore: 15_470_264_320, macsAfter: 7_000_000_000)).render()
    #expect(text.contains("MACs 15470264320 → 7000000000"))
    #expect(!text.contains("warning"))
}

private func reportWithLayer(parametersBefore: Int, parametersAfter: Int, macsBefore: Int, macsAfter: Int) throws
    -> CompressionReport
{
    let json = """
        {"method": "tr", "rankPolicy": "ratio 0.5", "skipped": [],
         "layers": [{"layer": "conv", "kind": "convolution", "weightShape": [8, 8, 3, 3], "ranks": [4, 4, 8, 8],
                     "notes": [], "parametersBefore": \(parametersBefore), "parametersAfter": \(parametersAfter),
                     "macsBefore": \(macsBefore), "macsAfter": \(macsAfter), "relativeWeightError": 0.5,
                     "factorized": true}],
         "parametersBefore": 1000, "parametersAfter": 900, "macsBefore": 10000, "macsAfter": 9000}
        """
    return try JSONDecoder().decode(CompressionReport.self, from: Data(json.utf8))
}

@Test func tableWarnsAboveRequestedRatio() throws {
    let report = try reportWithLayer(parametersBefore: 1000, parametersAfter: 730, macsBefore: 100, macsAfter: 50)
    let text = CompressionTable(report: report, targetRatio: 0.5).render()
    #expect(text.contains("warning: the factorized layers keep 73 % of their parameters, more than --ratio 0.5 requests"))
}

@Test func tableQuietWhenRatioMet() throws {
    let report = try reportWithLayer(parametersBefore: 1000, parametersAfter: 510, macsBefore: 100, macsAfter: 50)
    #expect(!CompressionTable(report: report, targetRatio: 0.5).render().contains("warning"))
}

@Test func tableNotesLayerMACGrowth() throws {
    let report = try reportWithLayer(parametersBefore: 1000, parametersAfter: 400, macsBefore: 100, macsAfter: 250)
    #expect(CompressionTable(report: report).render().contains("note: conv: needs 2.5× the MACs of the original layer"))
}
