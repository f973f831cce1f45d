/// An elementwise activation that a kernel applies to its output before storing it:
/// fusing it saves one pass over memory.
enum Activation: Equatable {
    case none
    case relu
    /// `min(max(x, lower), upper)`; ReLU6 is `clip(0, 6)`.
    case clip(lower: Float, upper: Float)

    /// Returns the activation of one value.
    @inline(__always)
    func applied(to x: Float) -> Float {
        switch self {
        case .none: return x
        case .relu: return max(x, 0)
        case .clip(let lower, let upper): return min(max(x, lower), upper)
        }
    }

    /// Applies the activation in place to `count` elements.
    @inline(__always)
    func apply(_ data: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .none:
            return
        case .relu:
            for i in 0..<count { data[i] = max(data[i], 0) }
        case .clip(let lower, let upper):
            for i in 0..<count { data[i] = min(max(data[i], lower), upper) }
        }
    }

    /// Adds `bias` to `count` elements and applies the activation, in one pass.
    @inline(__always)
    func applyWithBias(_ data: UnsafeMutablePointer<Float>, count: Int, bias: Float) {
        switch self {
        case .none:
            for i in 0..<count { data[i] += bias }
        case .relu:
            for i in 0..<count { data[i] = max(data[i] + bias, 0) }
        case .clip(let lower, let upper):
            for i in 0..<count { data[i] = min(max(data[i] + bias, lower), upper) }
        }
    }
}
