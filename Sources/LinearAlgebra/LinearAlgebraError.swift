/// Failures of the dense linear algebra routines.
///
/// Each case names the routine or operation and the offending value so the
/// caller can tell bad input (non-finite values, mismatched shapes) from a
/// numerical breakdown inside LAPACK.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// A LAPACK routine returned `info != 0`. Negative `info` means argument
    /// number `-info` was invalid; positive `info` is the routine's own
    /// failure code (for example an SVD that did not converge).
    case lapackFailure(routine: String, info: Int)
    /// The matrix passed to a Cholesky solve is not symmetric positive
    /// definite: the leading minor of order `order` is not positive.
    case notPositiveDefinite(routine: String, order: Int)
    /// An operation received shapes it cannot combine.
    case shapeMismatch(operation: String, shapes: [[Int]])
    /// An input contains NaN or an infinity at the given row-major offset.
    case nonFiniteValue(operation: String, offset: Int, value: Double)

    public var description: String {
        switch self {
        case let .lapackFailure(routine, info) where info < 0:
            return "\(routine) rejected argument \(-info) (info = \(info)); this is a bug in the caller"
        case let .lapackFailure(routine, info):
            return "\(routine) failed with info = \(info); the algorithm did not converge, "
                + "check the input for extreme values or use the fallback routine"
        case let .notPositiveDefinite(routine, order):
            return "\(routine): matrix is not positive definite (leading minor \(order) is not positive); "
                + "add regularisation or use a least-squares solve"
        case let .shapeMismatch(operation, shapes):
            return "\(operation): incompatible shapes \(shapes.map { "\($0)" }.joined(separator: ", "))"
        case let .nonFiniteValue(operation, offset, value):
            return "\(operation): element at offset \(offset) is \(value); remove NaN and infinite values first"
        }
    }
}
