import Foundation

/// A scatter plot rendered as a standalone SVG document, written by hand so the report needs
/// no plotting library.
///
/// The layout is fixed. The title is on top, the plot area on the left with tick labels and
/// axis titles outside it, and the legend in a column to its right, so no text overlaps
/// points or other text. Each point carries a `<title>` that browsers show as a tooltip.
public struct ScatterPlot: Sendable {
    public enum Scale: Sendable { case linear, logarithmic }

    public struct Axis: Sendable {
        /// Axis title with its unit, such as `Latency (ms)`.
        public var title: String
        public var scale: Scale

        public init(title: String, scale: Scale = .linear) {
            self.title = title
            self.scale = scale
        }
    }

    public enum MarkerShape: Sendable, CaseIterable {
        case circle, square, triangleUp, diamond, triangleDown, hexagon, star
    }

    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        /// Filled or hollow marker. The plot's `fillLegend` gives the meaning of each.
        public var filled: Bool
        /// Tooltip text.
        public var label: String

        public init(x: Double, y: Double, filled: Bool = true, label: String = "") {
            self.x = x
            self.y = y
            self.filled = filled
            self.label = label
        }
    }

    public struct Series: Sendable {
        public var name: String
        /// CSS color, such as `#0072B2`.
        public var color: String
        public var shape: MarkerShape
        public var points: [Point]

        public init(name: String, color: String, shape: MarkerShape, points: [Point]) {
            self.name = name
            self.color = color
            self.shape = shape
            self.points = points
        }
    }

    public var title: String
    public var xAxis: Axis
    public var yAxis: Axis
    public var series: [Series]
    /// Legend entries explaining filled and hollow markers, such as ("fine-tuned", "decomposed").
    public var fillLegend: (filled: String, hollow: String)?
    /// Draws the dashed line y = x and gives both axes the same range.
    public var showsIdentityLine = false
    /// Text shown in the plot area when no series has a plottable point.
    public var emptyMessage = "no data"

    public init(title: String, xAxis: Axis, yAxis: Axis, series: [Series]) {
        self.title = title
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.series = series
    }

    // MARK: Layout in SVG user units (pixels)

    static let width = 800.0
    static let height = 520.0
    static let plotLeft = 90.0
    static let plotTop = 60.0
    static let plotRight = 590.0
    static let plotBottom = 440.0
    static let legendLeft = 615.0
    static let legendRowHeight = 24.0
    static let markerRadius = 6.0
    /// Maximum length in characters of a legend label at 13 px in the legend column.
    static let legendLabelLimit = 22
    static let fontFamily = "Helvetica, Arial, sans-serif"

    /// Renders the plot as a complete SVG document.
    public func svg() -> String {
        let points = series.flatMap(\.points).filter { isPlottable($0) }
        var xDomain = PlotDomain(values: points.map(\.x), scale: xAxis.scale)
        var yDomain = PlotDomain(values: points.map(\.y), scale: yAxis.scale)
        if showsIdentityLine {
            let shared = PlotDomain(values: points.flatMap { [$0.x, $0.y] }, scale: xAxis.scale)
            xDomain = shared
            yDomain = shared
        }
        let xMap = AxisMap(domain: xDomain, low: Self.plotLeft, high: Self.plotRight)
        let yMap = AxisMap(domain: yDomain, low: Self.plotBottom, high: Self.plotTop)

        var body: [String] = []
        body.append(element("rect", ["x": 0, "y": 0, "width": Self.width, "height": Self.height, "fill": "white"]))
        body.append(titleText())
        body += grid(xMap: xMap, yMap: yMap)
        if showsIdentityLine, !points.isEmpty { body += identityLine(xMap: xMap, yMap: yMap) }
        if points.isEmpty {
            body.append(
                text(
                    emptyMessage, x: (Self.plotLeft + Self.plotRight) / 2, y: (Self.plotTop + Self.plotBottom) / 2,
                    size: 14, anchor: "middle", fill: "#666666"))
        }
        for entry in series {
            for point in entry.points where isPlottable(point) {
                body.append(
                    marker(
                        entry, at: (xMap.position(point.x), yMap.position(point.y)), filled: point.filled,
                        tooltip: point.label))
            }
        }
        body += axes()
        body += legend()

        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(Self.height))" \
            viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" font-family="\(Self.fontFamily)">
            <title>\(escapeXML(title))</title>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }

    private func isPlottable(_ point: Point) -> Bool {
        guard point.x.isFinite, point.y.isFinite else { return false }
        if xAxis.scale == .logarithmic, point.x <= 0 { return false }
        if yAxis.scale == .logarithmic, point.y <= 0 { return false }
        return true
    }

    /// Renders the title centered over the whole image, at 18 px unless a smaller size is needed
    /// to fit the width. The width estimate assumes bold sans-serif glyphs of 0.6 em on average.
    private func titleText() -> String {
        let available = Self.width - 20
        let size = min(18, Int(available / (0.6 * Double(max(title.count, 1)))))
        return text(title, x: Self.width / 2, y: 32, size: max(size, 10), anchor: "middle", weight: "bold")
    }

    /// Renders grid lines, tick marks and tick labels. A label is left out when it would come
    /// closer to the previous one than its own width (x axis) or 14 px (y axis), but its grid
    /// line stays.
    private func grid(xMap: AxisMap, yMap: AxisMap) -> [String] {
        var lines: [String] = []
        var lastLabelRight = -Double.infinity
        for tick in xMap.domain.ticks {
            let x = xMap.position(tick)
            lines.append(line(x, Self.plotTop, x, Self.plotBottom, stroke: "#e4e4e4"))
            lines.append(line(x, Self.plotBottom, x, Self.plotBottom + 5, stroke: "black"))
            let label = formatTick(tick)
            let halfWidth = Self.estimatedTextWidth(label, size: 12) / 2
            if x - halfWidth >= lastLabelRight + 6 {
                lines.append(text(label, x: x, y: Self.plotBottom + 20, size: 12, anchor: "middle"))
                lastLabelRight = x + halfWidth
            }
        }
        var lastLabelY = Double.infinity
        for tick in yMap.domain.ticks {
            let y = yMap.position(tick)
            lines.append(line(Self.plotLeft, y, Self.plotRight, y, stroke: "#e4e4e4"))
            lines.append(line(Self.plotLeft - 5, y, Self.plotLeft, y, stroke: "black"))
            if lastLabelY - y >= 14 {
                lines.append(text(formatTick(tick), x: Self.plotLeft - 9, y: y + 4, size: 12, anchor: "end"))
                lastLabelY = y
            }
        }
        return lines
    }

    /// Width of a label in pixels, estimated at 0.6 em per character.
    public static func estimatedTextWidth(_ label: String, size: Int) -> Double {
        0.6 * Double(size) * Double(label.count)
    }

    private func axes() -> [String] {
        let middleX = (Self.plotLeft + Self.plotRight) / 2
        let middleY = (Self.plotTop + Self.plotBottom) / 2
        let xTitle = xAxis.title + (xAxis.scale == .logarithmic ? ", log scale" : "")
        let yTitle = yAxis.title + (yAxis.scale == .logarithmic ? ", log scale" : "")
        return [
            element(
                "rect",
                [
                    "x": Self.plotLeft, "y": Self.plotTop, "width": Self.plotRight - Self.plotLeft,
                    "height": Self.plotBottom - Self.plotTop, "fill": "none", "stroke": "black",
                ]),
            text(xTitle, x: middleX, y: Self.plotBottom + 48, size: 14, anchor: "middle"),
            "<text x=\"0\" y=\"0\" font-size=\"14\" text-anchor=\"middle\" "
                + "transform=\"translate(\(format(28)),\(format(middleY))) rotate(-90)\">\(escapeXML(yTitle))</text>",
        ]
    }

    private func identityLine(xMap: AxisMap, yMap: AxisMap) -> [String] {
        let low = max(xMap.domain.low, yMap.domain.low)
        let high = min(xMap.domain.high, yMap.domain.high)
        guard low < high else { return [] }
        return [
            "<line x1=\"\(format(xMap.position(low)))\" y1=\"\(format(yMap.position(low)))\" "
                + "x2=\"\(format(xMap.position(high)))\" y2=\"\(format(yMap.position(high)))\" "
                + "stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
        ]
    }

    private func legend() -> [String] {
        var items: [String] = []
        var y = Self.plotTop + 12
        items.append(text("Legend", x: Self.legendLeft, y: y, size: 13, anchor: "start", weight: "bold"))
        y += Self.legendRowHeight

        for entry in series {
            items.append(marker(entry, at: (Self.legendLeft + 8, y - 4), filled: true, tooltip: entry.name))
            items.append(text(shortened(entry.name), x: Self.legendLeft + 24, y: y, size: 13, anchor: "start"))
            y += Self.legendRowHeight
        }

        if let fillLegend {
            let neutral = Series(name: "", color: "#333333", shape: .circle, points: [])
            for (label, filled) in [(fillLegend.filled, true), (fillLegend.hollow, false)] {
                items.append(marker(neutral, at: (Self.legendLeft + 8, y - 4), filled: filled, tooltip: label))
                items.append(text(shortened(label), x: Self.legendLeft + 24, y: y, size: 13, anchor: "start"))
                y += Self.legendRowHeight
            }
        }

        if showsIdentityLine {
            items.append(
                "<line x1=\"\(format(Self.legendLeft))\" y1=\"\(format(y - 4))\" x2=\"\(format(Self.legendLeft + 16))\" "
                    + "y2=\"\(format(y - 4))\" stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>")
            items.append(text("y = x (no change)", x: Self.legendLeft + 24, y: y, size: 13, anchor: "start"))
        }
        return items
    }

    private func shortened(_ label: String) -> String {
        label.count <= Self.legendLabelLimit ? label : String(label.prefix(Self.legendLabelLimit - 1)) + "…"
    }

    private func marker(_ series: Series, at center: (Double, Double), filled: Bool, tooltip: String) -> String {
        let (x, y) = center
        let r = Self.markerRadius
        let style = "fill=\"\(filled ? series.color : "white")\" stroke=\"\(series.color)\" stroke-width=\"2\""
        let tooltipElement = tooltip.isEmpty ? "" : "<title>\(escapeXML(tooltip))</title>"

        let shapeElement: (open: String, close: String)
        switch series.shape {
        case .circle:
            shapeElement = ("<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"\(format(r))\" \(style)>", "</circle>")
        case .square:
            let side = 1.7 * r
            shapeElement = (
                "<rect x=\"\(format(x - side / 2))\" y=\"\(format(y - side / 2))\" width=\"\(format(side))\" "
                    + "height=\"\(format(side))\" \(style)>", "</rect>"
            )
        default:
            let points = polygonVertices(series.shape, x: x, y: y, r: r)
                .map { "\(format($0.0)),\(format($0.1))" }.joined(separator: " ")
            shapeElement = ("<polygon points=\"\(points)\" \(style)>", "</polygon>")
        }
        return shapeElement.open + tooltipElement + shapeElement.close
    }

    private func polygonVertices(_ shape: MarkerShape, x: Double, y: Double, r: Double) -> [(Double, Double)] {
        func regular(count: Int, radius: Double, rotation: Double) -> [(Double, Double)] {
            (0..<count).map { index in
                let angle = rotation + 2 * Double.pi * Double(index) / Double(count)
                return (x + radius * cos(angle), y + radius * sin(angle))
            }
        }
        switch shape {
        case .triangleUp: return regular(count: 3, radius: 1.25 * r, rotation: -Double.pi / 2)
        case .triangleDown: return regular(count: 3, radius: 1.25 * r, rotation: Double.pi / 2)
        case .diamond: return regular(count: 4, radius: 1.25 * r, rotation: -Double.pi / 2)
        case .hexagon: return regular(count: 6, radius: 1.1 * r, rotation: 0)
        case .star:
            let outer = regular(count: 5, radius: 1.35 * r, rotation: -Double.pi / 2)
            let inner = regular(count: 5, radius: 0.6 * r, rotation: -Double.pi / 2 + Double.pi / 5)
            return zip(outer, inner).flatMap { [$0, $1] }
        case .circle, .square:
            preconditionFailure("\(shape) is not drawn as a polygon")
        }
    }
}

// MARK: SVG text helpers

private func element(_ name: String, _ attributes: KeyValuePairs<String, Any>) -> String {
    let rendered = attributes.map { key, value -> String in
        let text = (value as? Double).map(format) ?? "\(value)"
        return "\(key)=\"\(escapeXML(text))\""
    }
    return "<\(name) \(rendered.joined(separator: " "))/>"
}

private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String) -> String {
    "<line x1=\"\(format(x1))\" y1=\"\(format(y1))\" x2=\"\(format(x2))\" y2=\"\(format(y2))\" stroke=\"\(stroke)\" stroke-width=\"1\"/>"
}

private func text(
    _ content: String, x: Double, y: Double, size: Int, anchor: String, weight: String = "normal",
    fill: String = "black"
) -> String {
    "<text x=\"\(format(x))\" y=\"\(format(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" "
        + "font-weight=\"\(weight)\" fill=\"\(fill)\">\(escapeXML(content))</text>"
}

private func format(_ value: Double) -> String {
    String(format: "%.2f", value)
}

/// Escapes text for XML character data and attribute values.
func escapeXML(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        default: escaped.append(character)
        }
    }
    return escaped
}

/// Formats a tick value compactly: SI suffixes k, M, G from 10^3, otherwise at most three
/// decimals with trailing zeros removed.
func formatTick(_ value: Double) -> String {
    let magnitude = abs(value)
    for (unit, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= unit {
        return trimmedDecimal(value / unit, decimals: 2) + suffix
    }
    return trimmedDecimal(value, decimals: 3)
}

private func trimmedDecimal(_ value: Double, decimals: Int) -> String {
    var text = String(format: "%.\(decimals)f", value)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
}
