import Foundation

/// Empirical variational Bayesian matrix factorisation (EVBMF) through its
/// analytic global solution (Nakajima, Sugiyama, Babacan and Tomioka 2013).
///
/// For an `L × M` matrix (`L ≤ M`, `α = L / M`) with singular values `γₕ` and
/// unknown noise variance `σ²`, the EVBMF solution keeps exactly the components
/// with `γₕ > √(M σ² x̄)`, where `x̄ = (1 + τ̄)(1 + α/τ̄)` and `τ̄` is the positive
/// root of `log(τ + 1) + α log(τ/α + 1) − τ = 0`. The noise variance minimises the
/// one-dimensional free energy
/// `Σ_{xₕ ≤ x̄} (xₕ − log xₕ) + Σ_{xₕ > x̄} (xₕ − τₕ + log((τₕ + 1)/xₕ) + α log(τₕ/α + 1)) + (L − H) log σ²`
/// with `xₕ = γₕ² / (M σ²)` and `τₕ = ½ (xₕ − 1 − α + √((xₕ − 1 − α)² − 4α))`.
public enum EVBMF {
    /// Result of EVBMF rank estimation.
    public struct Estimate: Sendable, Equatable {
        /// Number of retained components.
        public var rank: Int
        /// Estimated noise variance σ² per matrix entry.
        public var noiseVariance: Double
        /// Singular value threshold `√(M σ² x̄)`; components above it are kept.
        public var threshold: Double
    }

    /// Estimates the EVBMF rank and noise variance from singular values.
    ///
    /// - Parameters:
    ///   - singularValues: all `min(rows, columns)` singular values, any order.
    ///   - rows, columns: the matrix shape (either orientation).
    /// - Returns: rank 0 when no component rises above the noise.
    public static func estimate<S: BinaryFloatingPoint>(singularValues: [S], rows: Int, columns: Int) -> Estimate {
        let l = Double(min(rows, columns)), m = Double(max(rows, columns))
        let gammas = singularValues.map { Double($0) }.sorted(by: >)
        let h = gammas.count
        guard h > 0, gammas[0] > 0 else { return Estimate(rank: 0, noiseVariance: 0, threshold: 0) }
        let alpha = l / m
        let tauBar = thresholdTau(alpha)
        let xBar = (1 + tauBar) * (1 + alpha / tauBar)

        // σ² lies between these bounds (Nakajima et al. 2013, Theorem 5): at most
        // ⌈L/(1+α)⌉ − 1 components can be retained.
        let squares = gammas.map { $0 * $0 }
        let upper = squares.reduce(0, +) / (l * m)
        let firstDropped = min(max(Int((l / (1 + alpha)).rounded(.up)) - 1, 0), h - 1)
        let tail = squares[firstDropped...]
        let lower = max(squares[firstDropped] / (m * xBar), tail.reduce(0, +) / Double(tail.count) / m)

        let objective = { (sigma2: Double) -> Double in
            freeEnergy(sigma2: sigma2, squares: squares, l: l, m: m, alpha: alpha, xBar: xBar)
        }
        let sigma2 = minimize(objective, lower: min(lower, upper), upper: upper)
        let threshold = (m * sigma2 * xBar).squareRoot()
        return Estimate(rank: gammas.filter { $0 > threshold }.count, noiseVariance: sigma2, threshold: threshold)
    }

    /// Positive root of `log(τ + 1) + α log(τ/α + 1) − τ` by bisection.
    static func thresholdTau(_ alpha: Double) -> Double {
        let psi = { (tau: Double) in log(tau + 1) + alpha * log(tau / alpha + 1) - tau }
        var (low, high) = (1e-12, 1.0)
        while psi(high) > 0 { high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if psi(middle) > 0 { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }

    private static func freeEnergy(
        sigma2: Double, squares: [Double], l: Double, m: Double, alpha: Double, xBar: Double
    ) -> Double {
        var total = (l - Double(squares.count)) * log(sigma2)
        for square in squares {
            let x = square / (m * sigma2)
            if x <= xBar {
                total += x - log(x)
            } else {
                let shifted = x - 1 - alpha
                let tau = 0.5 * (shifted + (shifted * shifted - 4 * alpha).squareRoot())
                total += x - tau + log((tau + 1) / x) + alpha * log(tau / alpha + 1)
            }
        }
        return total
    }

    /// Minimises a function of one variable on `[lower, upper]`: a logarithmic
    /// grid locates the best bracket, then golden-section search refines it.
    private static func minimize(_ f: (Double) -> Double, lower: Double, upper: Double) -> Double {
        guard upper > lower, lower > 0 else { return upper }
        let steps = 200
        let ratio = log(upper / lower) / Double(steps)
        var best = 0
        var bestValue = Double.infinity
        for i in 0...steps {
            let value = f(lower * exp(ratio * Double(i)))
            if value < bestValue {
                bestValue = value
                best = i
            }
        }
        var a = lower * exp(ratio * Double(max(best - 1, 0)))
        var b = lower * exp(ratio * Double(min(best + 1, steps)))
        let golden = (5.0.squareRoot() - 1) / 2
        for _ in 0..<100 {
            let c = b - golden * (b - a), d = a + golden * (b - a)
            if f(c) < f(d) { b = d } else { a = c }
        }
        return (a + b) / 2
    }
}
