import Foundation
import LinearAlgebra

/// Writes a little-endian `float64` array in NumPy's `.npy` format (version 1.0),
/// enough for handing tensors to the Python oracle.
func writeNumpy(_ tensor: Tensor<Double>, to url: URL) throws {
    let shape = tensor.shape.map(String.init).joined(separator: ", ") + (tensor.shape.count == 1 ? "," : "")
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(shape)), }"
    // Magic (6) + version (2) + length (2) + header + newline is a multiple of 64.
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
    let length = UInt16(header.utf8.count)
    data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
    data.append(contentsOf: Array(header.utf8))
    tensor.scalars.withUnsafeBufferPointer { data.append(Data(buffer: $0)) }
    try data.write(to: url)
}
