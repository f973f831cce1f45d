import Foundation
import LinearAlgebra

/// Minimal `.npy` (format 1.0, little-endian float32, C order) reader and writer, the
/// exchange format between these tests and the Python oracle.
enum NumpyFile {
    static func write(_ tensor: Tensor<Float>, to url: URL) throws {
        let shape = tensor.shape.map(String.init).joined(separator: ", ")
        let tuple = tensor.shape.count == 1 ? "(\(shape),)" : "(\(shape))"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(tuple), }"
        // Magic (6) + version (2) + length (2) + header + newline is a multiple of 64 bytes.
        let padding = 63 - (10 + header.utf8.count) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(UInt8(header.utf8.count & 0xFF))
        data.append(UInt8(header.utf8.count >> 8))
        data.append(contentsOf: Array(header.utf8))
        tensor.scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url)
    }

    static func read(_ url: URL) throws -> Tensor<Float> {
        let data = try Data(contentsOf: url)
        guard data.count >= 10, data.starts(with: [0x93] + Array("NUMPY".utf8)) else { throw NumpyError(url: url, reason: "missing the .npy magic bytes") }
        let major = data[6]
        let lengthBytes = major == 1 ? 2 : 4
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(data[8 + i]) << (8 * i) }
        let start = 8 + lengthBytes
        let header = String(decoding: data[start..<(start + headerLength)], as: UTF8.self)
        guard header.contains("'<f4'"), header.contains("'fortran_order': False") else {
            throw NumpyError(url: url, reason: "expected little-endian float32 in C order, header \(header)")
        }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw NumpyError(url: url, reason: "no shape in header \(header)")
        }
        let shape = header[open.upperBound..<close].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.compactMap { Int($0) }
        let body = data[(start + headerLength)...]
        let count = shape.reduce(1, *)
        guard body.count == count * 4 else { throw NumpyError(url: url, reason: "\(body.count) bytes for shape \(shape)") }
        let scalars = body.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        return Tensor(shape: shape, scalars: scalars)
    }
}

struct NumpyError: Error, CustomStringConvertible {
    let url: URL
    let reason: String
    var description: String { "invalid .npy file \(url.path): \(reason)" }
}
