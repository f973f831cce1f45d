import Foundation

/// The value range of a plot axis, widened to round tick values, with the ticks to draw.
struct PlotDomain: Sendable {
    var low: Double
    var high: Double
    var scale: ScatterPlot.Scale
    var ticks: [Double]

    /// Maximum number of ticks per axis. Ticks on a log axis can still sit close together, so
    /// `ScatterPlot` also drops tick labels that would overlap.
    static let maximumTickCount = 8

    init(values: [Double], scale: ScatterPlot.Scale) {
        self.scale = scale
        let finite = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        switch scale {
        case .linear:
            (low, high, ticks) = Self.linearTicks(finite)
        case .logarithmic:
            (low, high, ticks) = Self.logarithmicTicks(finite)
        }
    }

    /// Ticks at 1, 2, 2.5 or 5 times a power of ten, about five of them, with the range
    /// widened to the ticks around the data plus a margin so no marker sits on the frame.
    private static func linearTicks(_ values: [Double]) -> (Double, Double, [Double]) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if high - low < 1e-12 * max(1, abs(high)) {
            let pad = low == 0 ? 1 : abs(low) * 0.5
            low -= pad
            high += pad
        }
        let margin = (high - low) * 0.06
        low -= margin
        high += margin

        let rough = (high - low) / 5
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let first = (low / step).rounded(.up) * step
        var ticks: [Double] = []
        var tick = first
        while tick <= high + step * 1e-9, ticks.count < maximumTickCount {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return (low, high, ticks)
    }

    /// Ticks at powers of ten, with 2 and 5 times them when the data spans about a decade,
    /// 3 times them up to three decades, and every integer multiple when fewer than three
    /// ticks would remain. The range extends 8 % of the data's span (in decades) on each side.
    private static func logarithmicTicks(_ values: [Double]) -> (Double, Double, [Double]) {
        var lowExponent = log10(values.min() ?? 1)
        var highExponent = log10(values.max() ?? 10)
        if highExponent - lowExponent < 0.2 {
            lowExponent -= 0.3
            highExponent += 0.3
        }
        let span = highExponent - lowExponent
        lowExponent -= 0.08 * span
        highExponent += 0.08 * span

        let decades = highExponent - lowExponent
        var ticks = ticksBetween(
            lowExponent, highExponent, multipliers: decades < 1.2 ? [1, 2, 5] : (decades < 3 ? [1, 3] : [1]))
        if ticks.count < 3 {
            ticks = ticksBetween(lowExponent, highExponent, multipliers: Array(stride(from: 1.0, through: 9, by: 1)))
        }
        if ticks.count > maximumTickCount {
            let stride = (ticks.count + maximumTickCount - 1) / maximumTickCount
            ticks = ticks.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        return (pow(10, lowExponent), pow(10, highExponent), ticks)
    }

    private static func ticksBetween(_ lowExponent: Double, _ highExponent: Double, multipliers: [Double]) -> [Double] {
        var ticks: [Double] = []
        for exponent in Int(lowExponent.rounded(.down))...Int(highExponent.rounded(.up)) {
            for multiplier in multipliers {
                let tick = multiplier * pow(10, Double(exponent))
                let position = log10(tick)
                if position >= lowExponent, position <= highExponent { ticks.append(tick) }
            }
        }
        return ticks
    }
}

/// Maps axis values to SVG coordinates between `low` and `high` pixels.
struct AxisMap {
    var domain: PlotDomain
    var low: Double
    var high: Double

    func position(_ value: Double) -> Double {
        let fraction: Double
        switch domain.scale {
        case .linear:
            fraction = (value - domain.low) / (domain.high - domain.low)
        case .logarithmic:
            fraction = (log10(value) - log10(domain.low)) / (log10(domain.high) - log10(domain.low))
        }
        return low + fraction * (high - low)
    }
}
