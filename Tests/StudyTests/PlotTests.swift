import Foundation
import Study
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Texts of every `<text>` element of an SVG document, parsed as XML.
private func svgTexts(_ svg: String) throws -> [String] {
    let document = try XMLDocument(xmlString: svg, options: [])
    #expect(document.rootElement()?.name == "svg")
    return try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
}

private func plot(named name: String) throws -> ScatterPlot {
    let plots = StudyReport(documents: ResultFixtures.smallStudy()).plots()
    return try #require(plots.first { $0.fileName == name }).plot
}

@Test(arguments: [
    "accuracy-vs-compression.svg", "latency-vs-macs-builtin.svg", "speedup-builtin.svg", "speedup-tensorrt.svg",
])
func plotIsWellFormedXML(name: String) throws {
    let svg = try plot(named: name).svg()
    _ = try svgTexts(svg)
}

@Test func accuracyPlotHasAxisTitlesAndLegend() throws {
    let texts = try svgTexts(try plot(named: "accuracy-vs-compression.svg").svg())
    #expect(texts.contains("Compression ratio (original ÷ model parameters)"))
    #expect(texts.contains("Top-1 accuracy (%)"))
    #expect(texts.contains("original"))
    #expect(texts.contains("cp"))
    #expect(texts.contains("Accuracy vs compression"))
}

@Test func latencyPlotUsesLogScaleOnBothAxes() throws {
    let texts = try svgTexts(try plot(named: "latency-vs-macs-builtin.svg").svg())
    #expect(texts.contains("MACs per inference (millions), log scale"))
    #expect(texts.contains("Median latency (ms), log scale"))
    #expect(texts.contains("before optimization"))
    #expect(texts.contains("after optimization"))
}

@Test func speedupPlotHasIdentityLineAndMethods() throws {
    let svg = try plot(named: "speedup-builtin.svg").svg()
    let texts = try svgTexts(svg)
    #expect(texts.contains("Speedup before optimization (×)"))
    #expect(texts.contains("Speedup after optimization (×)"))
    #expect(texts.contains("y = x (no change)"))
    #expect(texts.contains("cp"))
    #expect(!texts.contains("original"), "the original's speedup is 1 by definition and is not plotted")
    #expect(svg.contains("stroke-dasharray"))
}

@Test func plotLegendHasEntryPerMethod() throws {
    let methods = ["cp", "tucker2", "tt", "tr"]
    let series = methods.map { method in
        let style = plotStyle(forMethod: method)
        return ScatterPlot.Series(
            name: method, color: style.color, shape: style.shape, points: [ScatterPlot.Point(x: 1, y: 2)])
    }
    let svg = ScatterPlot(title: "T", xAxis: .init(title: "X (s)"), yAxis: .init(title: "Y (m)"), series: series).svg()
    let texts = try svgTexts(svg)
    for method in methods {
        #expect(texts.contains(method), "legend entry for \(method)")
    }
    #expect(Set(methods.map { plotStyle(forMethod: $0).color }).count == methods.count, "distinct colors")
    #expect(Set(methods.map { "\(plotStyle(forMethod: $0).shape)" }).count == methods.count, "distinct shapes")
}

@Test func plotEscapesMarkupInLabels() throws {
    let series = [
        ScatterPlot.Series(
            name: "a<b & \"c\"", color: "#000000", shape: .circle, points: [ScatterPlot.Point(x: 1, y: 1, label: "<x>")]
        )
    ]
    let svg = ScatterPlot(title: "T & U", xAxis: .init(title: "x"), yAxis: .init(title: "y"), series: series).svg()
    let texts = try svgTexts(svg)
    #expect(texts.contains("a<b & \"c\""))
    #expect(texts.contains("T & U"))
}

@Test func emptyPlotNamesUnavailableReason() throws {
    let texts = try svgTexts(try plot(named: "speedup-tensorrt.svg").svg())
    #expect(texts.contains("no data (unavailable: trtexec not found)"))
}

@Test func xTickLabelsDoNotOverlap() throws {
    // A narrow log range falls back to ticks at every integer multiple, the densest case.
    let points = [ScatterPlot.Point(x: 0.012, y: 1), ScatterPlot.Point(x: 0.095, y: 2)]
    let series = [ScatterPlot.Series(name: "s", color: "#000000", shape: .circle, points: points)]
    let svg = ScatterPlot(
        title: "T", xAxis: .init(title: "x", scale: .logarithmic), yAxis: .init(title: "y"), series: series
    ).svg()

    let document = try XMLDocument(xmlString: svg, options: [])
    let labels = try document.nodes(forXPath: "//*[local-name()='text'][@text-anchor='middle'][@font-size='12']")
        .compactMap { $0 as? XMLElement }
        .map { element in
            let x = element.attributes?.first { $0.localName == "x" }?.stringValue.flatMap(Double.init) ?? .nan
            return (x: x, width: ScatterPlot.estimatedTextWidth(element.stringValue ?? "", size: 12))
        }
        .sorted { $0.x < $1.x }
    #expect(labels.count >= 3)
    #expect(labels.allSatisfy { $0.x.isFinite }, "every label has an x coordinate")
    for (left, right) in zip(labels, labels.dropFirst()) {
        #expect(right.x - right.width / 2 > left.x + left.width / 2, "labels at \(left.x) and \(right.x) overlap")
    }
}
