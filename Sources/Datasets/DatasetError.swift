import Foundation

/// Errors raised while reading, decoding or preparing data sets.
///
/// Each case names the file (or `<memory>` for in-memory input) and the offending
/// field or value, so that a message alone is enough to find the bad input.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A header field has a value the reader cannot accept.
    case invalidHeader(path: String, field: String, value: String, reason: String)
    /// The payload ends before the header's shape is filled.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// An element type the reader does not decode.
    case unsupportedDType(path: String, dtype: String)
    /// A NumPy array stored in Fortran (column-major) order.
    case fortranOrder(path: String)
    /// A gzip stream that zlib rejected.
    case decompressionFailed(path: String, reason: String)
    /// An image that libpng or libjpeg could not decode.
    case imageDecodingFailed(path: String, reason: String)
    /// An image whose format is neither PNG nor JPEG.
    case unsupportedImageFormat(path: String)
    /// A data set that is not installed where the loader looks.
    case datasetMissing(name: String, path: String, hint: String)
    /// Arrays that must agree in length or shape do not.
    case shapeMismatch(field: String, expected: [Int], actual: [Int])
    /// A configuration value outside its valid range.
    case invalidArgument(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .invalidHeader(let path, let field, let value, let reason):
            return "\(path): invalid header field '\(field)' = \(value): \(reason)"
        case .truncated(let path, let expected, let actual):
            return "\(path): truncated data: expected \(expected) bytes of elements, found \(actual)"
        case .unsupportedDType(let path, let dtype):
            return "\(path): unsupported dtype '\(dtype)'; supported are <f4, <f8, <i8, <i4, |u1, |b1"
        case .fortranOrder(let path):
            return "\(path): fortran_order is True; save the array in C order "
                + "(numpy.ascontiguousarray) before reading it"
        case .decompressionFailed(let path, let reason):
            return "\(path): gzip decompression failed: \(reason)"
        case .imageDecodingFailed(let path, let reason):
            return "\(path): image decoding failed: \(reason)"
        case .unsupportedImageFormat(let path):
            return "\(path): unsupported image format; expected PNG or JPEG"
        case .datasetMissing(let name, let path, let hint):
            return "\(name) not found at \(path): \(hint)"
        case .shapeMismatch(let field, let expected, let actual):
            return "\(field): expected shape \(expected), got \(actual)"
        case .invalidArgument(let name, let value, let reason):
            return "invalid \(name) = \(value): \(reason)"
        }
    }
}
